using Microsoft.ML;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Tests;

[Trait(Speed.Category, Speed.Fast)]
public class CurveKeyTests
{
    private static CurvePoint Point(CurveSeed seed) => new()
    {
        Key = new CurveKey
        {
            Method = OptimizationMethod.Ppo, Policy = "small", Proxy = "tf-2x32", ProxyKind = "transformer", ProxyParams = 12345, Comparisons = 900,
            ProxySeed = 3, KlCoefficient = 0.05, Seed = seed,
        },
        N = 1, Step = 40, Kl = 2.5, KlMeasured = 2.5, D = Math.Sqrt(2.5),
        Scores = new CurveScores(new ScoreInterval(1.5, 1.25, 1.75), new ScoreInterval(0.5, 0.25, 0.75), new ScoreInterval(0.375, 0.125, 0.625)),
    };

    [Fact]
    public void APointKeepsItsKeyAndScoresThroughAnIDataView()
    {
        var ml = new MLContext(1);
        var points = new[] { Point(7), Point(CurveSeed.Mean) };

        var back = ml.Data.CreateEnumerable<CurvePoint>(ml.Data.LoadFromEnumerable(points), reuseRowObject: false).ToList();

        // Every part of the key but the proxy's seed, which has no ML.NET column type (a nullable number).
        Assert.Equal(points.Select(p => p.Key with { ProxySeed = null }), back.Select(p => p.Key));
        Assert.Equal(points.Select(p => p.Scores), back.Select(p => p.Scores));
        Assert.Equal(["ppo", "ppo"], back.Select(p => p.Method));
        Assert.Equal([false, true], back.Select(p => p.IsSeedMean));
    }

    [Fact]
    public void TheFlatColumnsWriteIntoTheKeyInAnyOrder()
    {
        // ML.NET sets a row's columns one by one: the seed's number and its mean flag must not overwrite each other.
        var point = new CurvePoint { IsSeedMean = true, Seed = 0, Method = "bon" };
        var other = new CurvePoint { Seed = 0, IsSeedMean = true, Method = "bon" };

        Assert.Equal(CurveSeed.Mean, point.Key.Seed);
        Assert.Equal(point.Key, other.Key);
        Assert.Equal(OptimizationMethod.BestOfN, point.Key.Method);
    }

    [Fact]
    public void SeedsAndMethodsReadBackWhatTheTablesWrite()
    {
        foreach (var seed in new CurveSeed[] { 0, 12, CurveSeed.Mean })
        {
            Assert.True(CurveSeed.TryParse(seed.ToString(), out var parsed));
            Assert.Equal(seed, parsed);
        }
        Assert.False(CurveSeed.TryParse("average", out _));
        foreach (var method in Enum.GetValues<OptimizationMethod>())
        {
            Assert.Equal(method, OptimizationMethodLabels.Parse(method.Label()));
        }
        var error = Assert.Throws<OverOptConfigurationException>(() => OptimizationMethodLabels.Parse("rl"));
        Assert.Contains("'bon'", error.Message);
    }

    [Fact]
    public void SubtractingABaselineMovesEveryMeanAndBoundAndKeepsNoRuleNaN()
    {
        var scores = new CurveScores(new ScoreInterval(1, 0.5, 1.5), new ScoreInterval(2, 1.5, 2.5), ScoreInterval.None);

        var centred = scores.Minus(proxy: 1, gold: 0.5, rule: 0.25);

        Assert.Equal(new ScoreInterval(0, -0.5, 0.5), centred.Proxy);
        Assert.Equal(new ScoreInterval(1.5, 1, 2), centred.Gold);
        Assert.True(double.IsNaN(centred.Rule.Mean) && double.IsNaN(centred.Rule.Low) && double.IsNaN(centred.Rule.High));
    }

    [Fact]
    public void ANormalIntervalIsTheMeanPlusOrMinus196StandardErrors()
    {
        var interval = ScoreInterval.OfSamples([1.0, 2.0, 3.0, 4.0]);

        double half = 1.96 * Math.Sqrt(5.0 / 3.0) / 2;
        Assert.Equal(2.5, interval.Mean, 12);
        Assert.Equal(2.5 - half, interval.Low, 12);
        Assert.Equal(2.5 + half, interval.High, 12);
    }
}
