using OverOpt.MLNet.Policies;

namespace OverOpt.Experiments.Settings;

/// <summary>One policy size of a pipeline: a name and a <see cref="GptShape"/> (its vocabulary comes from the corpus).</summary>
public sealed class PolicySpec
{
    public string Name { get; set; } = "small";

    public int Layers { get; set; } = 2;

    public int ModelDim { get; set; } = 64;

    public int Heads { get; set; } = 4;

    public int Context { get; set; } = 32;

    public GptShape ToShape(int vocabularySize) => new()
    {
        Layers = Layers,
        ModelDim = ModelDim,
        Heads = Heads,
        Context = Context,
        VocabularySize = vocabularySize,
    };
}
