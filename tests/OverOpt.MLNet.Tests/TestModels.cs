using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Text;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Tests;

/// <summary>Small models and data shared by the tests.</summary>
internal static class TestModels
{
    private static readonly Lazy<TextCorpus> SmallCorpus = new(() =>
        TextCorpus.FromLines("test:first-2000-bundled", TextCorpus.Bundled().Stories.Take(2000)));

    static TestModels()
    {
        TorchRuntime.EnsureLoaded();
    }

    public static TextCorpus Corpus => SmallCorpus.Value;

    public static GptShape TinyShape(int vocabulary = 40) => new() { Layers = 2, ModelDim = 32, Heads = 4, Context = 24, VocabularySize = vocabulary };

    /// <summary>A random model whose output head is scaled up so its next-token distributions are far from uniform.</summary>
    public static GptModel PeakedModel(GptShape shape, long seed, double headScale)
    {
        var model = new GptModel(shape, seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.StartsWith("head", StringComparison.Ordinal))
            {
                parameter.mul_(headScale);
            }
        }
        return model;
    }

    public static Tensor RandomPrompts(int batch, int length, int vocabulary, ulong seed)
    {
        using var generator = new Generator(seed);
        return randint(0, vocabulary, [batch, length], ScalarType.Int64, generator: generator);
    }
}
