namespace OverOpt.MLNet.World;

/// <summary>What <see cref="StoryReader"/> found in a text: the stories it holds and every violation, in order.</summary>
/// <param name="Stories">The stories, in order: a text can end one story and begin the next after an end token.</param>
/// <param name="Violations">Every violation, in order of position.</param>
public sealed record StoryReading(IReadOnlyList<ReadStory> Stories, IReadOnlyList<StoryViolation> Violations)
{
    /// <summary>The violations shown at or after <paramref name="position"/>: those of a response that starts there.</summary>
    public IEnumerable<StoryViolation> From(int position) => Violations.Where(v => v.Position >= position);
}
