namespace OverOpt.MLNet.World;

/// <summary>
/// One way a sentence can begin, with its probability: the grammar lists the sentences possible next and writes
/// their openings token by token (see <see cref="StoryBranching"/>), so the choice of sentence is read off its words.
/// </summary>
/// <typeparam name="T">What the branch stands for (an event, an ending).</typeparam>
/// <param name="Key">What the branch stands for.</param>
/// <param name="Opening">The tokens that begin the sentence, enough to tell it from every other branch.</param>
/// <param name="Roles">What decides each opening token when only this branch is left.</param>
/// <param name="Weight">The branch's probability (the branches of one choice need not sum to 1; they are normalized).</param>
public sealed record StoryBranch<T>(T Key, IReadOnlyList<string> Opening, IReadOnlyList<TokenRole> Roles, double Weight);
