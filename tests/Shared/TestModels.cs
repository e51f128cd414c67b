using OverOpt.MLNet;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.Testing;

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

    /// <summary>A one-layer policy pretrained for a few seconds: enough structure for sampling, rewards and PPO.</summary>
    public static Policy PretrainTiny(Microsoft.ML.MLContext ml, int context, int seed) => ml.Policies().Pretrain(Corpus, new OverOpt.MLNet.Pretraining.PretrainingOptions
    {
        Shape = new GptShape { Layers = 1, ModelDim = 32, Heads = 2, Context = context },
        Steps = 150,
        BatchSize = 32,
        LearningRate = 5e-3,
        EvaluationInterval = 150,
        ValidationWindows = 32,
        Seed = seed,
    });

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
