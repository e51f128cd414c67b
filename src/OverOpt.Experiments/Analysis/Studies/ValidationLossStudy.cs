using System.Text;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Outcomes;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// Validation loss against gold at a fixed n (paper fig. 5; spec finding 4): one point per best-of-n curve of a
/// transformer proxy of the main policy, across every size and comparison count, at the largest n every such curve
/// has, with Pearson's correlation and its 95% interval (Fisher's z).
/// </summary>
public static class ValidationLossStudy
{
    /// <summary>Fig. 5.</summary>
    public const string Figure = "study-validation-loss-vs-gold.png";

    /// <summary>A predictor explaining less than this share of gold's variance (r^2) counts as weak.</summary>
    public const double WeakRSquared = 0.5;

    private const string Title = "Validation loss against gold (fig. 5)";

    /// <summary>Runs the study on <paramref name="data"/>, writing its figure into <paramref name="folder"/>.</summary>
    public static StudySection Run(StudyData data, string folder)
    {
        const string finding = "reward-model validation loss is a weak predictor of gold at fixed n, across sizes and data (fig. 5)";
        var all = data.BestOfN.Transformers().ToList();
        string? policy = MainPolicy(all);
        var curves = all.Where(c => c.Policy == policy && double.IsFinite(c.ValidationLoss)).ToList();
        var text = new StringBuilder();
        if (curves.Count < 4)
        {
            string why = $"{curves.Count} best-of-n curve(s) with a validation loss; a correlation with an interval needs at least 4";
            text.AppendLine(C, $"Not measured: {why}.");
            text.AppendLine();
            return new StudySection(Title, text.ToString(), [Finding.NotMeasured("4", finding, why)], []);
        }
        int n = curves.Select(c => c.Points.Select(p => p.N).ToHashSet()).Aggregate((a, b) => { a.IntersectWith(b); return a; }).DefaultIfEmpty(0).Max();
        var points = curves.Select(c => (Curve: c, Loss: c.ValidationLoss, Gold: c.Points.FirstOrDefault(p => p.N == n)?.GoldScore ?? double.NaN))
            .Where(p => double.IsFinite(p.Gold)).ToList();
        if (n <= 1 || points.Count < 4)
        {
            const string why = "the best-of-n curves share no n above 1";
            text.AppendLine(C, $"Not measured: {why}.");
            text.AppendLine();
            return new StudySection(Title, text.ToString(), [Finding.NotMeasured("4", finding, why)], []);
        }
        double r = OverOpt.MLNet.Curves.Statistics.Correlation(points.Select(p => p.Loss).ToArray(), points.Select(p => p.Gold).ToArray());
        // Fisher's z: atanh(r) +- 1.96 / sqrt(m - 3).
        double z = Math.Atanh(r), half = 1.96 / Math.Sqrt(points.Count - 3);
        var (low, high) = (Math.Tanh(z - half), Math.Tanh(z + half));
        var line = ScalingLine.Fit(points.Select(p => (p.Loss, p.Gold)));
        text.AppendLine(C, $"{points.Count} best-of-n curves (every transformer proxy of policy `{policy}`: {points.Select(p => p.Curve.Params).Distinct().Count()} sizes, {points.Select(p => p.Curve.Comparisons).Distinct().Count()} comparison counts, every replicate), gold at n = {n} (the largest n every curve has) against the proxy's validation loss: Pearson r = {F(r)} [95%: {F(low)}, {F(high)}], r^2 = {F(r * r)}{(line is null ? "" : $"; least squares: gold = {F(line.Intercept)} {(line.Slope < 0 ? "-" : "+")} {F(Math.Abs(line.Slope))} x loss")}.");
        text.AppendLine();
        var series = points.GroupBy(p => p.Curve.Comparisons).OrderBy(g => g.Key)
            .Select(g => new StudySeries($"{g.Key:N0} comparisons", g.Select(p => p.Loss).ToArray(), g.Select(p => p.Gold).ToArray())).ToList();
        var lines = new List<StudyLine>();
        if (line is not null)
        {
            lines.Add(StudyPlots.Fitted($"least squares (r = {F(r, "F2")})", line.Intercept, line.Slope, series));
        }
        StudyPlots.Draw(Path.Combine(folder, Figure), $"Fig. 5: gold at n = {n} against validation loss, one point per proxy run", "validation loss", $"gold at n = {n}", series, lines);
        text.AppendLine(C, $"![{Figure}]({Figure})");
        text.AppendLine();
        return new StudySection(Title, text.ToString(),
            [Finding.Judged("4", finding, r * r < WeakRSquared, $"r = {F(r)} [{F(low)}, {F(high)}] over {points.Count} proxy runs at n = {n}, r^2 = {F(r * r)}; criterion: r^2 < {WeakRSquared} (the loss explains less than half of gold's variance)")],
            [Figure]);
    }
}
