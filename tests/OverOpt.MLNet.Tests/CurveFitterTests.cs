using OverOpt.MLNet.Fits;

namespace OverOpt.MLNet.Tests;

[Trait(Speed.Category, Speed.Fast)]
public class CurveFitterTests
{
    [Theory]
    [InlineData(GoldCurveForm.BestOfN, 1.2, 0.3)]
    [InlineData(GoldCurveForm.ReinforcementLearning, 0.8, 0.5)]
    public void RecoversKnownCoefficientsFromNoisyCurves(GoldCurveForm form, double alpha, double beta)
    {
        var random = new Random(11);
        var d = Enumerable.Range(0, 25).Select(i => i * 0.2).ToArray();
        double Noise() => 0.02 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var gold = d.Select(x => CurveFitter.Evaluate(form, alpha, beta, x) + Noise()).ToArray();
        var resamples = Enumerable.Range(0, 200).Select(_ => d.Select(x => CurveFitter.Evaluate(form, alpha, beta, x) + Noise()).ToArray()).ToList();

        var fit = CurveFitter.Fit(form, d, gold, resamples);

        Assert.Equal(alpha, fit.Alpha, 1);
        Assert.Equal(beta, fit.Beta, 1);
        Assert.True(Math.Abs(fit.Alpha - alpha) < 0.05 && Math.Abs(fit.Beta - beta) < 0.05, $"alpha {fit.Alpha}, beta {fit.Beta}");
        Assert.True(fit.AlphaLow < alpha && alpha < fit.AlphaHigh, $"alpha interval [{fit.AlphaLow}, {fit.AlphaHigh}]");
        Assert.True(fit.RSquared > 0.98);
        double peak = form == GoldCurveForm.BestOfN ? alpha / (2 * beta) : Math.Exp(alpha / beta - 1);
        Assert.Equal(peak, fit.PeakD, 1);
    }

    [Fact]
    public void AFitWithoutAPeakSaysSo()
    {
        var d = new[] { 0.0, 0.5, 1.0, 1.5, 2.0 };
        var gold = d.Select(x => 0.7 * x).ToArray();

        var fit = CurveFitter.Fit(GoldCurveForm.BestOfN, d, gold, []);

        Assert.True(double.IsNaN(fit.PeakD));
        Assert.Equal(0.7, fit.Alpha, 6);
    }
}
