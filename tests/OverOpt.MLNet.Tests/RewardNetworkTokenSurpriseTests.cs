using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// The frozen language model's per-token log-probabilities (what the likelihood readout sums, and each a prediction from
/// the tokens before it only) and its entropies (how sure it was before each token).
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

    [Fact]
    public void TokenEntropiesLieBetweenZeroAndLnVocabularyAndAreTheExpectedSurprise()
    {
        TorchRuntime.EnsureLoaded();
        using var network = new RewardNetwork(new GptShape { Layers = 1, ModelDim = 16, Heads = 2, Context = 6, VocabularySize = 7 }, seed: 5, RewardReadout.MeanPoolAndLikelihood);
        network.eval();
        using var scope = NewDisposeScope();
        var prefix = new long[] { 1, 4, 2 };

        var (tokens, entropies) = network.LanguageTokenReadings(tensor(prefix.Append(0L).ToArray()).unsqueeze(0));
        // The entropy at the last position is the mean surprise of the next token under the model: sum over every token
        // that could come of p(token) x -log p(token), each read through LanguageTokenLogProbabilities.
        var candidates = tensor(Enumerable.Range(0, 7).SelectMany(t => prefix.Append((long)t)).ToArray()).reshape(7, 4);
        var logProbabilities = network.LanguageTokenLogProbabilities(candidates)[.., 2].data<float>().Select(v => (double)v).ToArray();
        double expected = -logProbabilities.Sum(l => Math.Exp(l) * l);

        Assert.Equal(new long[] { 1, 3 }, entropies.shape);
        // Its log-probabilities are LanguageTokenLogProbabilities', from the same pass.
        Assert.Equal(network.LanguageTokenLogProbabilities(tensor(prefix.Append(0L).ToArray()).unsqueeze(0)).data<float>().ToArray(), tokens.data<float>().ToArray());
        Assert.All(entropies.data<float>().ToArray(), h => Assert.InRange(h, 0, Math.Log(7) + 1e-5));
        Assert.Equal(expected, entropies[0, 2].item<float>(), 4);
        Assert.Equal(1, logProbabilities.Sum(Math.Exp), 4);
    }

    [Fact]
    public void ANetworkWithoutALanguageModelRefusesEntropies()
    {
        TorchRuntime.EnsureLoaded();
        using var network = new RewardNetwork(new GptShape { Layers = 1, ModelDim = 8, Heads = 2, Context = 6, VocabularySize = 7 }, seed: 5);
        using var scope = NewDisposeScope();

        Assert.Throws<InvalidOperationException>(() => network.LanguageTokenReadings(zeros(1, 4, dtype: ScalarType.Int64)));
    }

    [Fact]
    public void TheSurpriseReadoutReadsTheLikelihoodAndTheExcessSurpriseWithWeightsStartingAtZero()
    {
        TorchRuntime.EnsureLoaded();
        var shape = new GptShape { Layers = 1, ModelDim = 16, Heads = 2, Context = 10, VocabularySize = 20 };
        using var network = new RewardNetwork(shape, seed: 3, RewardReadout.MeanPoolLikelihoodAndSurprise);
        network.eval();
        using var scope = NewDisposeScope();
        using var generator = new Generator(11);
        var sequences = randint(0, 20, [4, 10], dtype: ScalarType.Int64, generator: generator);

        var features = network.Features(sequences);
        var (tokens, entropies) = network.LanguageTokenReadings(sequences);
        var expectedExcess = (-tokens - entropies).clamp_min(0).sum(1).data<float>().ToArray();

        var likelihood = features[.., shape.ModelDim].data<float>().ToArray();
        var excess = features[.., shape.ModelDim + 1].data<float>().ToArray();
        var sums = tokens.sum(1).data<float>().ToArray();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(sums[i], likelihood[i], 4);
            Assert.Equal(expectedExcess[i], excess[i], 4);
            Assert.True(excess[i] > 0, "an untrained language model is surprised above its entropy somewhere");
        }
        // Both language features start with weight 0: the head begins as a mean-pool one.
        var head = network.named_parameters().Single(p => p.name == "scoreHead.weight").parameter;
        Assert.Equal(new[] { 0f, 0f }, head[0, TensorIndex.Slice(shape.ModelDim)].data<float>().ToArray());
        Assert.True(head[0, TensorIndex.Slice(0, shape.ModelDim)].abs().sum().item<float>() > 0);
        // Its features are more than a likelihood: one computed before for a likelihood readout is refused.
        Assert.Throws<InvalidOperationException>(() => network.Features(sequences, network.LanguageLogLikelihood(sequences)));
    }
}
