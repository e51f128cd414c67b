using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// The frozen language model's per-token log-probabilities: what the likelihood readout sums, and each a prediction from
/// the tokens before it only.
/// </summary>
[Trait(Speed.Category, Speed.Fast)]
public class RewardNetworkTokenSurpriseTests
{
    [Fact]
    public void TokenLogProbabilitiesSumToTheLikelihoodAndSeeOnlyEarlierTokens()
    {
        TorchRuntime.EnsureLoaded();
        using var network = new RewardNetwork(new GptShape { Layers = 2, ModelDim = 16, Heads = 2, Context = 12, VocabularySize = 30 }, seed: 3, RewardReadout.MeanPoolAndLikelihood);
        network.eval();
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        var sequences = randint(0, 30, [5, 12], dtype: ScalarType.Int64, generator: generator);
        var changed = sequences.clone();
        changed[.., 8] = (changed[.., 8] + 1) % 30;

        var tokens = network.LanguageTokenLogProbabilities(sequences);
        var afterChange = network.LanguageTokenLogProbabilities(changed);
        var likelihood = network.LanguageLogLikelihood(sequences);

        Assert.Equal(new long[] { 5, 11 }, tokens.shape);
        Assert.True(tokens.le(0).all().item<bool>());
        var sums = tokens.sum([1]).data<float>().ToArray();
        var expected = likelihood.squeeze(-1).data<float>().ToArray();
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(expected[i], sums[i], 4);
        }
        // Token 8 is predicted at position 7: positions before it are untouched by the change, position 7 and later are not.
        Assert.Equal(tokens[.., ..7].data<float>().ToArray(), afterChange[.., ..7].data<float>().ToArray());
        var before = tokens[.., 7].data<float>().ToArray();
        var after = afterChange[.., 7].data<float>().ToArray();
        Assert.All(Enumerable.Range(0, 5), i => Assert.NotEqual(before[i], after[i]));
    }
}
