using Microsoft.ML;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Tests;

/// <summary>EvaluateBestOfN on IDataViews: the same curves as the evaluator, and its rules for bad or uneven input.</summary>
[Trait(Speed.Category, Speed.Fast)]
public class BestOfNEvaluationTests
{
    private readonly MLContext _ml = new(1);

    private sealed class TextRow
    {
        public string Prompt { get; set; } = "";

        public string Proxy { get; set; } = "";

        public string Gold { get; set; } = "";
    }

    private static BestOfNEvaluationOptions Options(int? maxN = 30, bool normalize = false) => new()
    {
        MaxN = maxN,
        Points = 6,
        BootstrapResamples = 100,
        NormalizeScores = normalize,
    };

    private static BestOfNEvaluationOptions TextOptions() => new()
    {
        PromptColumnName = nameof(TextRow.Prompt),
        ProxyColumnNames = [nameof(TextRow.Proxy)],
        GoldColumnName = nameof(TextRow.Gold),
        MaxN = 2,
        Points = 3,
        BootstrapResamples = 10,
    };

    private static BestOfNResult Evaluator(IEnumerable<ScoredSample> samples, BestOfNEvaluationOptions options, int maxN)
    {
        var byPrompt = samples.GroupBy(s => s.PromptIndex).ToList();
        return BestOfNEvaluator.Evaluate(
            byPrompt.Select(g => g.Select(s => s.ProxyScore).ToArray()).ToArray(),
            byPrompt.Select(g => g.Select(s => s.GoldScore).ToArray()).ToArray(),
            new BestOfNOptions { MaxN = maxN, Points = options.Points, BootstrapResamples = options.BootstrapResamples, Seed = options.Seed, Proxy = "ProxyScore" });
    }

    private static object[] Row(CurvePoint p) => [p.Method, p.Proxy, p.N, p.Kl, p.KlMeasured, p.D, p.ProxyScore, p.ProxyCiLow, p.ProxyCiHigh, p.GoldScore, p.GoldCiLow, p.GoldCiHigh];

    [Fact]
    public void ScoredSampleRowsGiveTheEvaluatorsCurveAndFit()
    {
        var samples = ScoredSamples.Make([40, 40, 40, 40, 40], seed: 1);

        var result = _ml.Overoptimization().EvaluateBestOfN(_ml.Data.LoadFromEnumerable(samples), Options());
        var expected = Evaluator(samples, Options(), 30);

        var single = Assert.Single(result.Objectives);
        Assert.Equal("ProxyScore", single.Label);
        Assert.Equal(expected.Points.Select(Row), single.Curve.Select(Row));
        Assert.Equal(expected.Fit, single.Fit);
        Assert.Equal(OveroptimizationVerdict.Assess(expected.Points), single.Verdict);
        Assert.Equal((5, 200, 30), (result.Prompts, result.Samples, result.MaxN));
    }

    [Fact]
    public void CurvesStartAtZeroAndNormalizingOnlyRescalesThem()
    {
        var samples = ScoredSamples.Make([40, 40, 40, 40], seed: 2);
        var view = _ml.Data.LoadFromEnumerable(samples);

        var raw = _ml.Overoptimization().EvaluateBestOfN(view, Options()).Objectives[0].Curve;
        var normalized = _ml.Overoptimization().EvaluateBestOfN(view, Options(normalize: true));
        var gold = normalized.Normalization.Single(n => n.Column == "GoldScore");

        Assert.Equal(0, normalized.Objectives[0].Curve[0].GoldScore, 6);
        Assert.Equal(0, normalized.Objectives[0].Curve[0].ProxyScore, 6);
        Assert.Equal(0, raw[0].GoldScore, 6);
        // A shift and a positive scale keep every ranking, and both curves are re-centred on n = 1, so the normalized
        // curve is the raw one scaled.
        Assert.All(raw.Zip(normalized.Objectives[0].Curve), pair =>
            Assert.Equal(pair.First.GoldScore / gold.StandardDeviation, pair.Second.GoldScore, tolerance: 1e-5));
    }

    [Fact]
    public void PromptsWithFewerSamplesThanMaxNAreLeftOutAndNamed()
    {
        var samples = ScoredSamples.Make([40, 12, 40, 40, 3], seed: 3);

        var result = _ml.Overoptimization().EvaluateBestOfN(_ml.Data.LoadFromEnumerable(samples), Options(maxN: 30));
        var expected = Evaluator(samples.Where(s => s.PromptIndex is not (1 or 4)), Options(), 30);

        Assert.Equal([new LeftOutPrompt("1", 12), new LeftOutPrompt("4", 3)], result.LeftOutPrompts);
        Assert.Equal(3, result.Prompts);
        Assert.Equal(expected.Points.Select(Row), result.Objectives[0].Curve.Select(Row));

        // Without MaxN, the largest n is the fewest samples of any prompt, and nothing is left out.
        var all = _ml.Overoptimization().EvaluateBestOfN(_ml.Data.LoadFromEnumerable(samples.Where(s => s.PromptIndex != 4)), Options(maxN: null));
        Assert.Equal((12, 4), (all.MaxN, all.Prompts));
        Assert.Empty(all.LeftOutPrompts);

        var error = Assert.Throws<OverOptConfigurationException>(() =>
            _ml.Overoptimization().EvaluateBestOfN(_ml.Data.LoadFromEnumerable(samples), Options(maxN: 50)));
        Assert.Equal("maxN", error.Field);
        Assert.Contains("the most any prompt has is 40 (prompt '0')", error.Message);
    }

    [Fact]
    public void RepeatedRowsAreKeptAsSamplesAndCounted()
    {
        var samples = ScoredSamples.Make([20, 20, 20], seed: 4);
        var repeated = samples.Concat(samples.Where(s => s.PromptIndex == 1).Take(5)).ToArray();

        var result = _ml.Overoptimization().EvaluateBestOfN(_ml.Data.LoadFromEnumerable(repeated), Options(maxN: 20));

        Assert.Equal(5, result.RepeatedRows);
        Assert.Equal(65, result.Samples);
        Assert.Equal(Evaluator(repeated, Options(), 20).Points.Select(Row), result.Objectives[0].Curve.Select(Row));
    }

    [Fact]
    public void PromptIdsGroupRowsWhereverTheyStand()
    {
        var samples = ScoredSamples.Make([10, 10, 10], seed: 5);
        var asText = samples.Select(s => new TextRow
        {
            Prompt = $"prompt {s.PromptIndex}",
            Proxy = s.ProxyScore.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            Gold = s.GoldScore.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        });
        // Rows interleaved (0, 1, 2, 0, 1, 2, ...): grouping must not depend on rows of a prompt being together.
        var interleaved = asText.Select((row, i) => (row, i)).OrderBy(x => x.i % 10).ThenBy(x => x.i).Select(x => x.row);
        var options = TextOptions();
        (options.MaxN, options.Points, options.BootstrapResamples, options.NormalizeScores) = (10, 6, 100, false);

        var fromText = _ml.Overoptimization().EvaluateBestOfN(_ml.Data.LoadFromEnumerable(interleaved), options);

        Assert.Equal(Evaluator(samples, Options(), 10).Points.Select(p => Row(p)[2..]), fromText.Objectives[0].Curve.Select(p => Row(p)[2..]));
    }

    [Fact]
    public void RowOrderChangesNothing()
    {
        // Twelve prompts, so that ids sort differently as text ("10" < "2") and as numbers.
        var samples = ScoredSamples.Make(Enumerable.Repeat(15, 12).ToList(), seed: 8);
        var shuffle = new Random(3);
        var shuffled = samples.OrderBy(_ => shuffle.Next()).ToArray();
        var options = Options(maxN: 15, normalize: true);

        var inOrder = _ml.Overoptimization().EvaluateBestOfN(_ml.Data.LoadFromEnumerable(samples), options).Objectives[0];
        var reordered = _ml.Overoptimization().EvaluateBestOfN(_ml.Data.LoadFromEnumerable(shuffled), options).Objectives[0];

        Assert.Equal(inOrder.Curve.Select(Row), reordered.Curve.Select(Row));
        Assert.Equal((inOrder.Fit.Alpha, inOrder.Fit.AlphaLow, inOrder.Fit.AlphaHigh, inOrder.Fit.Beta, inOrder.Fit.BetaLow, inOrder.Fit.BetaHigh),
            (reordered.Fit.Alpha, reordered.Fit.AlphaLow, reordered.Fit.AlphaHigh, reordered.Fit.Beta, reordered.Fit.BetaLow, reordered.Fit.BetaHigh));
        Assert.True(inOrder.Curve.Skip(1).All(p => p.GoldCiHigh > p.GoldCiLow));
    }

    [Theory]
    [InlineData("Proxy", "abc", "column 'Proxy', data row 3 holds 'abc', which is not a number.")]
    [InlineData("Gold", "NaN", "column 'Gold', data row 3 is NaN")]
    [InlineData("Gold", "1e40", "column 'Gold', data row 3 is Infinity, infinite or beyond a float's range")]
    [InlineData("Proxy", "-Infinity", "column 'Proxy', data row 3 is -Infinity")]
    [InlineData("Proxy", " ", "column 'Proxy', data row 3 is empty (no value).")]
    [InlineData("Prompt", "", "column 'Prompt', data row 3 has no prompt id")]
    public void ABadValueIsNamedByColumnAndRow(string column, string value, string message)
    {
        var rows = Enumerable.Range(0, 6).Select(i => new TextRow { Prompt = $"p{i / 3}", Proxy = $"{i}.5", Gold = $"{i % 3}" }).ToArray();
        typeof(TextRow).GetProperty(column)!.SetValue(rows[2], value);

        var error = Assert.Throws<OverOptConfigurationException>(() =>
            _ml.Overoptimization().EvaluateBestOfN(_ml.Data.LoadFromEnumerable(rows), TextOptions()));

        Assert.Equal(column, error.Field);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void AMissingOrNonNumericColumnIsNamedWithTheColumnsPresent()
    {
        var rows = _ml.Data.LoadFromEnumerable(new[] { new TextRow { Prompt = "p", Proxy = "1", Gold = "1" } });
        var options = TextOptions();
        options.GoldColumnName = "gold";

        var missing = Assert.Throws<OverOptConfigurationException>(() => _ml.Overoptimization().EvaluateBestOfN(rows, options));
        var vector = Assert.Throws<OverOptConfigurationException>(() => _ml.Overoptimization().EvaluateBestOfN(
            _ml.Data.LoadFromEnumerable(new[] { new { PromptIndex = 1, ProxyScore = new float[2], GoldScore = 1f } }), Options()));

        Assert.Equal("gold", missing.Field);
        Assert.Contains("there is no gold score column 'gold'; the columns present are 'Prompt', 'Proxy', 'Gold'.", missing.Message);
        Assert.Contains("--gold-column", missing.Fix);
        Assert.Equal("ProxyScore", vector.Field);
        Assert.Contains("not numbers", vector.Message);
    }
}
