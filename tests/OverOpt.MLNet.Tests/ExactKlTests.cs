using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Tests;

[Trait(Speed.Category, Speed.Fast)]
public class ExactKlTests
{
    [Fact]
    public void KlIsZeroWhenThePolicyIsAnIdenticalCopyOfTheReference()
    {
        var shape = TestModels.TinyShape();
        using var original = TestModels.PeakedModel(shape, seed: 11, headScale: 30);
        using var policy = new Policy(original, new WordTokenizer(WordTokenizer.SpecialTokens.Concat(Enumerable.Range(0, shape.VocabularySize - 3).Select(i => $"w{i}")).ToList()), new PolicyDescription());
        using var copy = policy.Clone();
        using var prompts = TestModels.RandomPrompts(32, 4, shape.VocabularySize, 3);
        using var generator = new Generator(5);

        using var batch = PolicySampler.Sample(policy.Model, copy.Model, prompts, new SamplingOptions { ResponseLength = 12, Temperature = 0.8 }, generator);

        Assert.False(ReferenceEquals(policy.Model, copy.Model));
        Assert.True(batch.TokenKl.sum(-1).max().item<float>() < 1e-5);
        Assert.True((batch.LogProbs - batch.ReferenceLogProbs).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void ExactKlMatchesTheMonteCarloLogRatioWithinItsErrorBar()
    {
        var shape = TestModels.TinyShape();
        using var policy = TestModels.PeakedModel(shape, seed: 21, headScale: 40);
        using var reference = TestModels.PeakedModel(shape, seed: 22, headScale: 40);
        using var prompts = TestModels.RandomPrompts(1, 4, shape.VocabularySize, 9).expand(4000, 4).contiguous();
        using var generator = new Generator(13);

        using var batch = PolicySampler.Sample(policy, reference, prompts, new SamplingOptions { ResponseLength = 8 }, generator);
        var samples = batch.ToSamples();
        var exact = samples.Select(s => s.Kl).ToArray();
        var monteCarlo = samples.Select(s => s.LogRatio).ToArray();
        double meanExact = exact.Average();
        double meanMonteCarlo = monteCarlo.Average();
        double variance = monteCarlo.Select(x => (x - meanMonteCarlo) * (x - meanMonteCarlo)).Sum() / (monteCarlo.Length - 1);
        double standardError = Math.Sqrt(variance / monteCarlo.Length);

        Assert.True(meanExact > 0.5, $"the two policies are too close ({meanExact}) for the test to mean anything");
        Assert.True(Math.Abs(meanExact - meanMonteCarlo) < 3 * standardError,
            $"exact KL {meanExact:F4} vs Monte-Carlo {meanMonteCarlo:F4} +- {standardError:F4}");
        Assert.All(batch.TokenKl.data<float>().ToArray(), k => Assert.True(k >= 0));
    }
}
