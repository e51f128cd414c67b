using OverOpt.Experiments.SeedStatistics;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;
using OverOpt.MLNet.Ppo;

namespace OverOpt.Experiments.Tests;

/// <summary>Seed means, seed-level intervals, the shared-alpha fit and the log-spaced evaluation schedule.</summary>
[Trait(Speed.Category, Speed.Fast)]
public class SeedStatisticsTests
{
    private static CurvePoint Point(double kl, double gold, int seed, double step = 0) => new()
    {
        Method = "ppo", Proxy = "p", Seed = seed, Step = step, Kl = kl, KlMeasured = kl, D = Math.Sqrt(kl), GoldScore = gold, ProxyScore = 2 * gold, RuleScore = gold,
    };

    [Fact]
    public void ThreeSeedsGiveAStudentTInterval()
    {
        var (mean, low, high) = SeedInterval.Of([1.0, 2.0, 4.0]);

        // sd of (1, 2, 4) is sqrt(7/3); t(0.975, 2) = 4.303.
        double half = 4.303 * Math.Sqrt(7.0 / 3) / Math.Sqrt(3);
        Assert.Equal(7.0 / 3, mean, 10);
        Assert.Equal(mean - half, low, 6);
        Assert.Equal(mean + half, high, 6);
        Assert.True(double.IsNaN(SeedInterval.Of([1.0]).Low));
        Assert.Equal(2.5, SeedInterval.Of([2.0, double.NaN, 3.0]).Mean);
    }

    [Fact]
    public void TheSeedMeanAveragesPointByPointAndMarksItsRows()
    {
        var seeds = new List<IReadOnlyList<CurvePoint>>
        {
            new[] { Point(0, 0, 1), Point(1, 0.5, 1, 10) },
            new[] { Point(0, 0, 2), Point(3, 1.5, 2, 10) },
        };

        var mean = SeedMeanCurve.Of(seeds);

        Assert.All(mean, p => Assert.True(p.IsSeedMean));
        Assert.Equal(2, mean[1].Kl, 10);
        Assert.Equal(Math.Sqrt(2), mean[1].D, 10);
        Assert.Equal(1.0, mean[1].GoldScore, 10);
        Assert.Equal(2.0, mean[1].ProxyScore, 10);
        Assert.True(mean[1].GoldCiLow < 1 && mean[1].GoldCiHigh > 1);
        Assert.Equal(10, mean[1].Step);
        Assert.False(seeds[0][1].IsSeedMean);
    }

    [Fact]
    public void TheSharedAlphaFitRecoversOneAlphaAndABetaPerCurve()
    {
        const double alpha = 1.1;
        double[] betas = [0.6, 0.35, 0.2];
        var d = Enumerable.Range(1, 20).Select(i => i * 0.25).ToArray();
        var curves = betas.Select(b => (IReadOnlyList<CurvePoint>)d.Select(x => Point(x * x, CurveFitter.Evaluate(GoldCurveForm.ReinforcementLearning, alpha, b, x), 1)).ToList()).ToList();

        var (fitted, fittedBetas) = SharedAlphaFit.LeastSquares(GoldCurveForm.ReinforcementLearning, curves);

        Assert.Equal(alpha, fitted, 8);
        for (int j = 0; j < betas.Length; j++)
        {
            Assert.Equal(betas[j], fittedBetas[j], 8);
        }
    }

    [Fact]
    public void EvaluationsStartAtStepOneAndAreLogSpacedToTheEnd()
    {
        var steps = EvaluationSchedule.LogSpaced(200, 16);

        Assert.Equal(0, steps[0]);
        Assert.Equal(1, steps[1]);
        Assert.Equal(200, steps[^1]);
        Assert.True(steps.Zip(steps.Skip(1), (a, b) => b > a).All(x => x));
        // Evenly spaced in log(step): consecutive ratios are about equal (rounding to whole steps aside).
        var ratios = steps.Skip(6).Zip(steps.Skip(7), (a, b) => (double)b / a).ToArray();
        Assert.All(ratios, r => Assert.InRange(r, 1.25, 1.55));
    }
}
