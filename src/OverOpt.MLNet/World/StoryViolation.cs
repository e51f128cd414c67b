namespace OverOpt.MLNet.World;

/// <summary>One inconsistency found by <see cref="StoryReader"/>.</summary>
/// <param name="Kind">Its category.</param>
/// <param name="Position">The 0-based position in the read tokens of the token that shows it (a slot word, a sentence's mark, or the end token).</param>
/// <param name="Detail">What is wrong, for reports.</param>
public sealed record StoryViolation(ViolationKind Kind, int Position, string Detail);
