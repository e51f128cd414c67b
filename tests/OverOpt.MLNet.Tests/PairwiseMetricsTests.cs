using OverOpt.MLNet.Comparisons;

namespace OverOpt.MLNet.Tests;

[Trait(Speed.Category, Speed.Fast)]
public sealed class PairwiseMetricsTests
{
    [Fact]
    public void AccuracyCountsTiesHalfAndTheLossIsLn2AtZeroMargins()
    {
        var metrics = PairwiseMetrics.FromMargins([1.0, -2.0, 0.0, 0.0]);

        Assert.Equal(0.5, metrics.PairwiseAccuracy);
        Assert.Equal(Math.Log(2), PairwiseMetrics.FromMargins([0.0, 0.0]).BradleyTerryLoss, 12);
        Assert.Equal(4, metrics.Comparisons);
    }

    [Fact]
    public void TheFittedTemperatureMinimizesTheLoss()
    {
        double[] margins = [2.0, 1.0, -0.5, 0.8, -1.5, 0.3];
        var metrics = PairwiseMetrics.FromMargins(margins);

        Assert.InRange(metrics.Temperature, 0, 1e3);
        foreach (double t in new[] { 0.0, metrics.Temperature * 0.9, metrics.Temperature * 1.1, 1.0 })
        {
            Assert.True(metrics.BradleyTerryLoss <= PairwiseMetrics.Loss(margins, t) + 1e-12, $"t = {t}");
        }
        Assert.Equal(PairwiseMetrics.Loss(margins, 1), metrics.UnscaledBradleyTerryLoss, 12);
    }

    // Why a data sweep validates every count on one large held-out set (comparisons.validationCount): the temperature is
    // fitted on the pairs it is judged on, so on a few pairs a proxy that knows nothing (margins independent of the labels)
    // scores below ln 2, by more than the 0.01 the data-size study counts as chance; on 1,000 pairs it does not.
    [Theory]
    [InlineData(8, 0.02, 0.08)]
    [InlineData(35, 0.003, 0.02)]
    [InlineData(1000, 0, 0.002)]
    public void OnFewPairsTheFittedTemperatureFlattersAProxyThatKnowsNothing(int pairs, double leastBias, double mostBias)
    {
        var random = new Random(17);
        int draws = pairs < 1000 ? 400 : 40;
        double meanLoss = Enumerable.Range(0, draws)
            .Average(_ => PairwiseMetrics.FromMargins(Enumerable.Range(0, pairs).Select(_ => random.NextDouble() * 2 - 1).ToArray()).BradleyTerryLoss);

        Assert.InRange(Math.Log(2) - meanLoss, leastBias, mostBias);
    }
}
