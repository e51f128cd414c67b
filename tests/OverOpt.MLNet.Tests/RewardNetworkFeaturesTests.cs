using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Tests;

/// <summary>The score is the score head on the features a trainer's other heads read (the gold trainer's per-term head).</summary>
[Trait(Speed.Category, Speed.Fast)]
public class RewardNetworkFeaturesTests
{
    [Theory]
    [InlineData(RewardReadout.MeanPool, 16)]
    [InlineData(RewardReadout.MeanPoolAndLikelihood, 17)]
    [InlineData(RewardReadout.MeanPoolLikelihoodAndSurprise, 18)]
    public void TheScoreIsTheScoreHeadOnTheFeatures(RewardReadout readout, int featureCount)
    {
        TorchRuntime.EnsureLoaded();
        using var network = new RewardNetwork(new GptShape { Layers = 1, ModelDim = 16, Heads = 2, Context = 12, VocabularySize = 30 }, seed: 3, readout);
        network.eval();
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        var sequences = randint(0, 30, [5, 12], dtype: ScalarType.Int64, generator: generator);

        var features = network.Features(sequences);
        var scores = network.forward(sequences);

        Assert.Equal(featureCount, network.FeatureCount);
        Assert.Equal(new long[] { 5, featureCount }, features.shape);
        Assert.Equal(scores.data<float>().ToArray(), network.Score(features).data<float>().ToArray());
    }
}
