using Microsoft.ML;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Tests;

[Trait(Speed.Category, Speed.Fast)]
public class BestOfNCurveTests
{
    private static ScoredSample[] Samples(int prompts, int perPrompt, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, prompts * perPrompt).Select(i =>
        {
            float proxy = (float)random.NextDouble() * 4;
            // Gold follows the proxy until 3, then falls: best-of-n must overoptimize.
            float gold = proxy < 3 ? proxy : 6 - proxy;
            return new ScoredSample { PromptIndex = i / perPrompt, ProxyScore = proxy, GoldScore = gold };
        }).ToArray();
    }

    [Fact]
    public void TheCurveTransformerTurnsSamplesIntoACurveThatBends()
    {
        var ml = new MLContext(1);
        var transformer = ml.Overoptimization().BestOfNCurve(new BestOfNOptions { MaxN = 200, Points = 10, BootstrapResamples = 200, Proxy = "synthetic" });

        var curveView = transformer.Transform(ml.Data.LoadFromEnumerable(Samples(20, 200, 1)));
        var curve = ml.Data.CreateEnumerable<CurvePoint>(curveView, reuseRowObject: false).ToList();
        var verdict = OveroptimizationVerdict.Assess(curve);

        Assert.Equal(1, curve[0].N);
        Assert.Equal(200, curve[^1].N);
        Assert.All(curve, p => Assert.Equal(new CurveKey { Method = OptimizationMethod.BestOfN, Proxy = "synthetic", Seed = 1 }, p.Key));
        Assert.True(verdict.Overoptimized, $"peak at {verdict.PeakIndex}: {verdict.PeakGold} [{verdict.PeakCiLow}], last {verdict.LastGold}");
        Assert.True(curve.Zip(curve.Skip(1)).All(pair => pair.Second.ProxyScore >= pair.First.ProxyScore), "the proxy score must rise with n");
        Assert.True(ml.Overoptimization().FitGoldCurve(curveView, Fits.GoldCurveForm.BestOfN).Beta > 0);
    }

    [Fact]
    public void ARuleMeasuredBesideGoldGetsTheCurveGoldWouldGetInItsPlace()
    {
        var random = new Random(5);
        float[][] Scores(Func<int, int, float> score) => Enumerable.Range(0, 8).Select(p => Enumerable.Range(0, 50).Select(i => score(p, i)).ToArray()).ToArray();
        var proxy = Scores((_, _) => (float)random.NextDouble());
        var gold = Scores((p, i) => proxy[p][i] < 0.7f ? proxy[p][i] : 1.4f - proxy[p][i]);
        var rule = Scores((p, i) => gold[p][i] + 0.3f * (float)random.NextDouble());
        var options = new BestOfNOptions { MaxN = 40, Points = 6, BootstrapResamples = 200 };

        var both = BestOfNEvaluator.Evaluate(proxy, gold, options, rule);
        var ruleInGoldsPlace = BestOfNEvaluator.Evaluate(proxy, rule, options);
        var goldAlone = BestOfNEvaluator.Evaluate(proxy, gold, options);

        Assert.Equal(ruleInGoldsPlace.Points.Select(p => (p.GoldScore, p.GoldCiLow, p.GoldCiHigh)), both.Points.Select(p => (p.RuleScore, p.RuleCiLow, p.RuleCiHigh)));
        Assert.Equal(goldAlone.Points.Select(p => (p.GoldScore, p.GoldCiLow, p.GoldCiHigh)), both.Points.Select(p => (p.GoldScore, p.GoldCiLow, p.GoldCiHigh)));
        Assert.All(goldAlone.Points, p => Assert.True(double.IsNaN(p.RuleScore)));
    }

    [Fact]
    public void FewerSamplesThanTheLargestNAreRefused()
    {
        var ml = new MLContext(1);
        var transformer = ml.Overoptimization().BestOfNCurve(new BestOfNOptions { MaxN = 500, BootstrapResamples = 50 });

        var curve = transformer.Transform(ml.Data.LoadFromEnumerable(Samples(3, 100, 2)));
        var error = Assert.Throws<OverOptConfigurationException>(() => curve.Preview());

        Assert.Equal("maxN", error.Field);
        Assert.Contains("N = 100", error.Message);
    }

    [Fact]
    public void NaNScoresAndMissingColumnsAreRefused()
    {
        var ml = new MLContext(1);
        var transformer = ml.Overoptimization().BestOfNCurve(new BestOfNOptions { MaxN = 10, BootstrapResamples = 50 });
        var samples = Samples(2, 10, 3);
        samples[4].GoldScore = float.NaN;

        Assert.Equal("GoldScore", Assert.Throws<OverOptConfigurationException>(() => transformer.Transform(ml.Data.LoadFromEnumerable(samples)).Preview()).Field);
        var missing = ml.Data.LoadFromEnumerable(new[] { new { PromptIndex = 0, ProxyScore = 1f } });
        Assert.Equal("GoldScore", Assert.Throws<OverOptConfigurationException>(() => transformer.Transform(missing)).Field);
    }
}
