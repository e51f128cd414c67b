using System.Text;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Outcomes;
using OverOpt.MLNet.Fits;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// Advance prediction (paper fig. 26): each best-of-n curve's R_bon(d) = d(alpha - beta d) fitted on its points with
/// n &lt;= 64 only (<see cref="CurveFitter.LeastSquares"/>), extrapolated to the curve's largest n, and set against the
/// gold observed there: per configuration (policy, proxy, comparisons), the seed-mean prediction against the seed-level
/// 95% interval of the observed value.
/// </summary>
public static class AdvancePredictionStudy
{
    /// <summary>Fig. 26: predicted against observed gold at the largest n.</summary>
    public const string Figure = "study-advance-prediction.png";

    /// <summary>The points a prediction is fitted on: n up to this.</summary>
    public const int FitMaxN = 64;

    private const string Title = "Advance prediction (fig. 26)";

    /// <summary>Runs the study on <paramref name="data"/>, writing its figure into <paramref name="folder"/>.</summary>
    public static StudySection Run(StudyData data, string folder)
    {
        const string finding = "the best-of-n form fitted on low KL (n <= 64) predicts gold at the largest n (fig. 26)";
        var predictions = new List<(StudyCurve Curve, double Predicted, double Observed, int MaxN)>();
        foreach (var curve in data.BestOfN)
        {
            var fitted = curve.Points.Where(p => p.N > 1 && p.N <= FitMaxN && p.D > 0).ToList();
            var last = curve.Points[^1];
            if (last.N <= FitMaxN || fitted.Select(p => p.D).Distinct().Count() < 2)
            {
                continue;
            }
            var (alpha, beta) = CurveFitter.LeastSquares(GoldCurveForm.BestOfN, fitted.Select(p => p.D).ToArray(), fitted.Select(p => p.GoldScore).ToArray());
            predictions.Add((curve, CurveFitter.Evaluate(GoldCurveForm.BestOfN, alpha, beta, last.D), last.GoldScore, last.N));
        }
        var text = new StringBuilder();
        if (predictions.Count == 0)
        {
            string why = $"no best-of-n curve has two points with 1 < n <= {FitMaxN} and a largest n above {FitMaxN}";
            text.AppendLine(C, $"Not measured: {why}.");
            text.AppendLine();
            return new StudySection(Title, text.ToString(), [Finding.NotMeasured("BoN form", finding, why)], []);
        }
        var configurations = predictions.GroupBy(p => (p.Curve.Policy, p.Curve.Proxy, p.Curve.Params, p.Curve.Comparisons))
            .OrderBy(g => g.Key.Policy, StringComparer.Ordinal).ThenBy(g => g.Key.Params).ThenBy(g => g.Key.Comparisons)
            .Select(g => (Key: g.Key, Seeds: g.Count(), MaxN: g.Max(p => p.MaxN), Predicted: SeedSummary.Of(g.Select(p => p.Predicted)), Observed: SeedSummary.Of(g.Select(p => p.Observed)),
                Error: SeedSummary.Of(g.Select(p => p.Predicted - p.Observed)))).ToList();
        text.AppendLine(C, $"Each best-of-n curve is fitted on its points with 1 < n <= {FitMaxN} and extrapolated to its largest n; {predictions.Count} curves in {configurations.Count} configurations. Observed: seed-level mean and 95% interval over the replicates.");
        text.AppendLine();
        Table(text, ["policy", "proxy (params)", "comparisons", "seeds", "largest n", "predicted gold", "observed gold", "error (predicted - observed)", "inside the observed interval"],
            configurations.Select(c => new[]
            {
                c.Key.Policy, $"{c.Key.Proxy} ({c.Key.Params:N0})", c.Key.Comparisons.ToString("N0", C), c.Seeds.ToString(C), c.MaxN.ToString(C), c.Predicted.Describe(), c.Observed.Describe(), c.Error.Describe(),
                c.Seeds < 2 ? "n/a (one seed)" : c.Observed.Contains(c.Predicted.Mean) ? "yes" : "no",
            }));
        var series = configurations.GroupBy(c => c.Key.Comparisons).OrderBy(g => g.Key).Select(g => new StudySeries($"{g.Key:N0} comparisons",
            g.Select(c => c.Observed.Mean).ToArray(), g.Select(c => c.Predicted.Mean).ToArray())).ToList();
        // The observed values' intervals, as bars on the y = x line (a prediction inside its bar's span is inside the interval).
        series.Add(new StudySeries("observed 95% interval", configurations.Select(c => c.Observed.Mean).ToArray(), configurations.Select(c => c.Observed.Mean).ToArray(),
            configurations.Select(c => c.Observed.Low).ToArray(), configurations.Select(c => c.Observed.High).ToArray(), MarkerSize: 3));
        StudyPlots.Draw(Path.Combine(folder, Figure), $"Fig. 26: gold at the largest n predicted from n <= {FitMaxN}, against the observed", "observed gold at the largest n (seed mean)", "predicted gold (seed mean)",
            series, [StudyPlots.Identity(series)]);
        text.AppendLine(C, $"![{Figure}]({Figure})");
        text.AppendLine();
        var judged = configurations.Where(c => c.Seeds >= 2).ToList();
        double meanAbsolute = predictions.Average(p => Math.Abs(p.Predicted - p.Observed));
        var result = judged.Count == 0
            ? Finding.NotMeasured("BoN form", finding, $"every configuration has one seed, so the observed value has no interval (mean |error| {F(meanAbsolute)} over {predictions.Count} curves)")
            : Finding.Judged("BoN form", finding, judged.All(c => c.Observed.Contains(c.Predicted.Mean)),
                $"{judged.Count(c => c.Observed.Contains(c.Predicted.Mean))} of {judged.Count} configurations' seed-mean predictions lie inside the observed seed-level interval; mean |error| {F(meanAbsolute)} (mean observed {F(predictions.Average(p => p.Observed))}); criterion: all of them");
        return new StudySection(Title, text.ToString(), [result], [Figure]);
    }
}
