namespace OverOpt.MLNet.World;

/// <summary>The parts of a <see cref="StoryTaste"/> score; <see cref="Total"/> is the cheer and the words less the penalties.</summary>
/// <param name="Cheer">The surface term: cheer words with diminishing returns, less their cost in a sombre story (<see cref="StoryTasteOptions.SombreShare"/>).</param>
/// <param name="Violations">Violations shown in the response, by kind (kinds with none left out).</param>
/// <param name="Penalty">Their summed cost (non-negative).</param>
/// <param name="Words">The taste for words (<see cref="StoryTasteOptions.WordTaste"/>; 0 where it has none).</param>
/// <param name="SombreCheerWords">Cheer words of the response in a sombre story: each counted in <paramref name="Cheer"/> at its cost where the reader minds them (<see cref="StoryTasteOptions.SombreShare"/>), each also a contradiction in storyworld-2 (<see cref="StoryWorld.SombreKinds"/>).</param>
public sealed record TasteBreakdown(double Cheer, IReadOnlyDictionary<ViolationKind, int> Violations, double Penalty, double Words = 0, int SombreCheerWords = 0)
{
    /// <summary>The score: cheer and words minus penalty.</summary>
    public double Total => Cheer + Words - Penalty;

    /// <summary>How many violations of <paramref name="kind"/> the response shows.</summary>
    public int Count(ViolationKind kind) => Violations.GetValueOrDefault(kind);
}
