using OverOpt.MLNet.Sampling;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Tests;

[Trait(Speed.Category, Speed.Fast)]
public class KvCacheSamplerTests
{
    [Fact]
    public void CachedLogitsEqualAFullForwardPass()
    {
        var shape = TestModels.TinyShape();
        using var model = TestModels.PeakedModel(shape, seed: 3, headScale: 50);
        using var prompts = TestModels.RandomPrompts(8, 6, shape.VocabularySize, 5);
        using var generator = new Generator(9);
        using var batch = PolicySampler.Sample(model, model, prompts, new SamplingOptions { ResponseLength = 12, KeepLogits = true }, generator);

        using var full = PolicySampler.ReferenceLogits(model, prompts, batch.Responses);
        double maxDifference = (batch.Logits! - full).abs().max().item<float>();

        Assert.True(maxDifference < 1e-5, $"cached and full-pass logits differ by {maxDifference}");
        Assert.True(full.abs().max().item<float>() > 1, "logits are too flat for the comparison to mean anything");
    }

    [Fact]
    public void SameSeedGivesIdenticalSamplesAndAnotherSeedDiffers()
    {
        var shape = TestModels.TinyShape();
        using var model = TestModels.PeakedModel(shape, seed: 4, headScale: 20);
        using var prompts = TestModels.RandomPrompts(16, 4, shape.VocabularySize, 1);
        var options = new SamplingOptions { ResponseLength = 10 };

        int[] Draw(ulong seed)
        {
            using var generator = new Generator(seed);
            using var batch = PolicySampler.Sample(model, model, prompts, options, generator);
            return batch.Responses.to_type(ScalarType.Int32).data<int>().ToArray();
        }

        Assert.Equal(Draw(42), Draw(42));
        Assert.NotEqual(Draw(42), Draw(43));
    }

    [Fact]
    public void RecomputeBaselineDrawsTheSameTokensAsTheCachedSampler()
    {
        var shape = TestModels.TinyShape();
        using var model = TestModels.PeakedModel(shape, seed: 8, headScale: 10);
        using var prompts = TestModels.RandomPrompts(8, 5, shape.VocabularySize, 2);
        var options = new SamplingOptions { ResponseLength = 8 };
        using var first = new Generator(77);
        using var second = new Generator(77);

        using var cached = PolicySampler.Sample(model, model, prompts, options, first);
        using var recomputed = RecomputeSampler.Sample(model, prompts, options, second);

        Assert.True(cached.Responses.eq(recomputed).all().item<bool>());
    }

    [Fact]
    public void ResponsesLongerThanTheContextAreRefused()
    {
        var shape = TestModels.TinyShape();
        using var model = new Policies.GptModel(shape, 1);
        using var prompts = TestModels.RandomPrompts(2, 10, shape.VocabularySize, 1);
        using var generator = new Generator(1);

        var error = Assert.Throws<ArgumentException>(() => PolicySampler.Sample(model, model, prompts, new SamplingOptions { ResponseLength = 15 }, generator));
        Assert.Contains("context of 24", error.Message);
    }
}
