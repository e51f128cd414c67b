using Microsoft.ML;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Curves;

namespace OverOpt.MLNet.Tests;

/// <summary>The ensemble objectives of EvaluateBestOfN against values worked out by hand, and scores that stay with their sample.</summary>
[Trait(Speed.Category, Speed.Fast)]
public class EnsembleObjectiveTests
{
    private sealed class Row
    {
        public string Prompt { get; set; } = "";

        public float A { get; set; }

        public float B { get; set; }

        public float Gold { get; set; }
    }

    private static BestOfNEvaluationResult Evaluate(IEnumerable<Row> rows, double lambda = 0.5, int maxN = 3, int points = 3)
    {
        var ml = new MLContext(1);
        return ml.Overoptimization().EvaluateBestOfN(ml.Data.LoadFromEnumerable(rows), new BestOfNEvaluationOptions
        {
            PromptColumnName = nameof(Row.Prompt),
            ProxyColumnNames = [nameof(Row.A), nameof(Row.B)],
            GoldColumnName = nameof(Row.Gold),
            MaxN = maxN,
            Points = points,
            BootstrapResamples = 20,
            UncertaintyPenalty = lambda,
            // The scores as written, so that the expected values can be worked out by hand.
            NormalizeScores = false,
        });
    }

    // Two prompts, three samples, two proxies. Per sample: mean, min and mean - 0.5 * population variance.
    //   a/s1 (0, 6) gold 1: mean 3,   min 0, var 9    -> uwo -1.5
    //   a/s2 (2, 2) gold 2: mean 2,   min 2, var 0    -> uwo  2
    //   a/s3 (1, 4) gold 4: mean 2.5, min 1, var 2.25 -> uwo  1.375
    //   b/t1 (1, 1) gold 0: mean 1,   min 1, var 0    -> uwo  1
    //   b/t2 (4, 0) gold 1: mean 2,   min 0, var 4    -> uwo  0
    //   b/t3 (2, 3) gold 3: mean 2.5, min 2, var 0.25 -> uwo  2.375
    private static readonly Row[] Tiny =
    [
        new() { Prompt = "a", A = 0, B = 6, Gold = 1 },
        new() { Prompt = "a", A = 2, B = 2, Gold = 2 },
        new() { Prompt = "a", A = 1, B = 4, Gold = 4 },
        new() { Prompt = "b", A = 1, B = 1, Gold = 0 },
        new() { Prompt = "b", A = 4, B = 0, Gold = 1 },
        new() { Prompt = "b", A = 2, B = 3, Gold = 3 },
    ];

    private static void AssertPoint(CurvePoint point, int n, double proxy, double gold)
    {
        Assert.Equal(n, point.N);
        Assert.Equal(proxy, point.ProxyScore, 5);
        Assert.Equal(gold, point.GoldScore, 5);
    }

    /// <summary>Curves are re-centred so that n = 1 scores 0: the expected values are the hand-computed ones less those at n = 1.</summary>
    private static void AssertCurve(IReadOnlyList<CurvePoint> curve, params (int N, double Proxy, double Gold)[] raw)
    {
        foreach (var (n, proxy, gold) in raw)
        {
            AssertPoint(curve.Single(p => p.N == n), n, proxy - raw[0].Proxy, gold - raw[0].Gold);
        }
    }

    [Fact]
    public void EnsembleObjectivesMatchHandComputedBestOfN()
    {
        var result = Evaluate(Tiny);

        // Best of n from N = 3, samples ranked by the objective: n = 1 is the plain mean; n = 2 picks the middle one
        // with probability 1/3 and the top one with 2/3 (C(i-1, 1) / C(3, 2)); n = 3 picks the top one.
        // Gold at n = 1 is the same for every objective: ((1 + 2 + 4) / 3 + (0 + 1 + 3) / 3) / 2.
        double goldAtOne = ((1 + 2 + 4) / 3.0 + (0 + 1 + 3) / 3.0) / 2;

        // Mean: a ranks s2 (2) < s3 (2.5) < s1 (3); b ranks t1 (1) < t2 (2) < t3 (2.5).
        var mean = result["ensemble-mean"].Curve;
        AssertCurve(mean,
            (1, ((2 + 2.5 + 3) / 3 + (1 + 2 + 2.5) / 3) / 2, goldAtOne),
            (2, ((2.5 + 2 * 3) / 3 + (2 + 2 * 2.5) / 3) / 2, ((4 + 2 * 1) / 3.0 + (1 + 2 * 3) / 3.0) / 2),
            (3, (3 + 2.5) / 2, (1 + 3) / 2.0));

        // Worst case: a ranks s1 (0) < s3 (1) < s2 (2); b ranks t2 (0) < t1 (1) < t3 (2).
        var worst = result["ensemble-min"].Curve;
        AssertCurve(worst,
            (1, ((0 + 2 + 1) / 3.0 + (1 + 0 + 2) / 3.0) / 2, goldAtOne),
            (2, ((1 + 2 * 2) / 3.0 + (1 + 2 * 2) / 3.0) / 2, ((4 + 2 * 2) / 3.0 + (0 + 2 * 3) / 3.0) / 2),
            (3, (2 + 2) / 2.0, (2 + 3) / 2.0));

        // Uncertainty-weighted (lambda 0.5): a ranks s1 (-1.5) < s3 (1.375) < s2 (2); b ranks t2 (0) < t1 (1) < t3 (2.375).
        var uwo = result["ensemble-uwo-0.5"].Curve;
        AssertCurve(uwo,
            (1, ((-1.5 + 2 + 1.375) / 3 + (1 + 0 + 2.375) / 3) / 2, goldAtOne),
            (2, ((1.375 + 2 * 2) / 3 + (1 + 2 * 2.375) / 3) / 2, ((4 + 2 * 2) / 3.0 + (0 + 2 * 3) / 3.0) / 2),
            (3, (2 + 2.375) / 2, (2 + 3) / 2.0));

        // Each proxy column alone too: A ranks a as s1 (0) < s3 (1) < s2 (2) and b as t1 (1) < t3 (2) < t2 (4).
        var a = result["A"].Curve;
        AssertCurve(a, (1, ((0 + 2 + 1) / 3.0 + (1 + 4 + 2) / 3.0) / 2, goldAtOne), (3, (2 + 4) / 2.0, (2 + 1) / 2.0));
        Assert.Equal(["A", "B", "ensemble-mean", "ensemble-min", "ensemble-uwo-0.5"], result.Objectives.Select(o => o.Label));
        Assert.All(result.Objectives, o => Assert.Equal(3, o.Curve.Count));
    }

    [Fact]
    public void UncertaintyWeightingUsesThePopulationVarianceAndLambda()
    {
        // Population variance of (0, 6) is 9 (sample variance would be 18): mean 3 - 0.5 * 9 = -1.5.
        Assert.Equal(-1.5, EnsembleObjectives.Evaluate(BestOfNObjective.UncertaintyWeighted, [0f, 6f], 0.5));
        Assert.Equal(3 - 2 * 9, EnsembleObjectives.Evaluate(BestOfNObjective.UncertaintyWeighted, [0f, 6f], 2));
        Assert.Equal(0, EnsembleObjectives.Evaluate(BestOfNObjective.WorstCase, [0f, 6f], 0.5));

        // lambda = 0 makes the uncertainty-weighted curve the mean curve.
        var result = Evaluate(Tiny, lambda: 0);
        Assert.Equal(
            result["ensemble-mean"].Curve.Select(p => (p.ProxyScore, p.GoldScore)),
            result["ensemble-uwo-0"].Curve.Select(p => (p.ProxyScore, p.GoldScore)));
    }

    [Fact]
    public void GoldStaysWithItsSampleWhenTheEnsembleReordersTheSamples()
    {
        // The bug this guards against (in the best-known public ensemble code): samples re-sorted by the ensemble score
        // while gold stays in the old order. Here the file order, member A's order and member B's order all differ
        // from every objective's order, and each sample's gold is unique, so a detached gold shows at once.
        //   sample (A, B)  gold | mean  min  uwo(0.5)
        //   p    (5, -3)  10    | 1     -3   1 - 0.5*16 = -7
        //   q    (2, 2)   20    | 2      2   2
        //   r    (-1, 4)  30    | 1.5   -1   1.5 - 0.5*6.25 = -1.625
        //   s    (1, 1.5) 40    | 1.25   1   1.25 - 0.5*0.0625 = 1.21875
        //   t    (3, 0)   50    | 1.5    0   1.5 - 0.5*2.25 = 0.375
        // Mean's, min's and uwo's best is q (gold 20); the last row in file order is t (gold 50), A's best is p (10),
        // B's best is r (30).
        Row Sample(string prompt, float a, float b, float gold) => new() { Prompt = prompt, A = a, B = b, Gold = gold };
        var rows = new List<Row>();
        foreach (var prompt in new[] { "x", "y" })
        {
            rows.AddRange([Sample(prompt, 5, -3, 10), Sample(prompt, 2, 2, 20), Sample(prompt, -1, 4, 30), Sample(prompt, 1, 1.5f, 40), Sample(prompt, 3, 0, 50)]);
        }

        var result = Evaluate(rows, maxN: 5, points: 5);
        // Rows reordered and the two prompts interleaved.
        var shuffled = Evaluate(rows.OrderBy(r => r.Gold % 30).ThenBy(r => r.Prompt), maxN: 5, points: 5);

        // Curves are re-centred on n = 1, whose gold is the mean of the five: 30.
        const double goldAtOne = 30;
        foreach (var label in new[] { "ensemble-mean", "ensemble-min", "ensemble-uwo-0.5" })
        {
            Assert.Equal(20 - goldAtOne, result[label].Curve[^1].GoldScore, 6);
        }
        Assert.Equal(10 - goldAtOne, result["A"].Curve[^1].GoldScore, 6);
        Assert.Equal(30 - goldAtOne, result["B"].Curve[^1].GoldScore, 6);
        // Best of 3 from 5 on the mean, ranked p < s < {r, t} < q: q with C(4,2)/C(5,3) = 6/10; the tie block r, t
        // (ranks 3 and 4) with 1/10 + 3/10, at their mean gold (30 + 50) / 2.
        Assert.Equal(6 / 10.0 * 20 + 4 / 10.0 * 40 - goldAtOne, result["ensemble-mean"].Curve.Single(p => p.N == 3).GoldScore, 5);
        // The order of rows within a prompt changes nothing.
        Assert.Equal(
            result.Objectives.SelectMany(o => o.Curve).Select(p => (p.Proxy, p.N, p.ProxyScore, p.GoldScore, p.KlMeasured)),
            shuffled.Objectives.SelectMany(o => o.Curve).Select(p => (p.Proxy, p.N, p.ProxyScore, p.GoldScore, p.KlMeasured)));
    }
}
