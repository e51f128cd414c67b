using System.Text;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Outcomes;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.RewardModels;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// beta_bon beyond the ceiling (world-pilot section 13): where gold has a top that best-of-n reaches, a proxy's beta_bon
/// mixes the approach to that top, which grows with the proxy's quality, with overoptimization, which the paper says
/// shrinks with size. Gold plus Gaussian noise cannot overoptimize, so its beta_bon at a given alpha_bon is the bend the
/// ceiling alone gives a proxy that good. Each transformer proxy's best-of-n curve is set against the noise ladder of its
/// own replicate (same world, pipeline seed and proxy seed, hence the same samples): its beta_bon minus the ladder's,
/// interpolated linearly in alpha_bon between the two ladder rungs around its own. The excess is regressed on
/// log10(parameters) as the size study regresses beta_bon. A proxy whose alpha_bon lies outside its ladder has no
/// reference and is counted, not extrapolated.
/// </summary>
public static class CeilingExcessStudy
{
    /// <summary>The excess against log10 parameters, size means with seed intervals.</summary>
    public const string Figure = "study-beta-bon-beyond-ceiling.png";

    private const string Title = "beta_bon beyond the ceiling (fig. 3 against gold plus noise)";
    private const string Spec = "1";
    private const string Claim = "beta_bon beyond the ceiling falls as reward models grow: a transformer proxy's beta_bon minus that of gold plus Gaussian noise at the same alpha_bon on the same samples (fig. 3, the ceiling's share removed)";

    /// <summary>
    /// Runs the study: <paramref name="proxies"/> are the single learned proxies the size study reads, <paramref name="all"/>
    /// every curve (the noise ladder is among them). Null where the sweep has no Gaussian-noise ladder, so that sweeps
    /// without one report nothing new.
    /// </summary>
    public static StudySection? Run(StudyData proxies, StudyData all, string folder)
    {
        var ladders = all.Curves
            .Where(c => c.Method == OptimizationMethod.BestOfN && c.Kind == NoisyGoldRewardModel.KindName && c.NoiseDistribution == "normal")
            .GroupBy(Replicate)
            .ToDictionary(g => g.Key, g => Ladder(g));
        if (ladders.Count == 0)
        {
            return null;
        }
        var transformers = proxies.Curves.Transformers().ToList();
        var (policy, count) = SizeSlice(transformers);
        var bon = transformers.Where(c => c.Method == OptimizationMethod.BestOfN && c.Policy == policy && c.Comparisons == count).ToList();
        var text = new StringBuilder();
        text.AppendLine("Each transformer proxy's best-of-n beta_bon minus the beta_bon of gold plus Gaussian noise (its replicate's ladder: same world, pipeline seed and proxy seed, so the same samples) at the proxy's own alpha_bon, interpolated linearly between the two rungs around it. Such a proxy cannot make gold fall (eq. 1), so its bend is the ceiling's alone; the excess is what the proxy bends beyond it. Slopes are least squares through the per-seed points against log10(parameters), per decade, with 95% t intervals.");
        text.AppendLine();
        var excess = new List<(StudyCurve Curve, double Beta, double Reference, double Excess)>();
        int outside = 0, unmatched = 0;
        foreach (var curve in bon)
        {
            if (!ladders.TryGetValue(Replicate(curve), out var ladder))
            {
                unmatched++;
                continue;
            }
            var (alpha, beta) = curve.Fit();
            double reference = Interpolate(ladder, alpha);
            if (!double.IsFinite(reference) || !double.IsFinite(beta))
            {
                outside++;
                continue;
            }
            excess.Add((curve, beta, reference, beta - reference));
        }
        string skipped = $"{outside} curve(s) with alpha_bon outside their ladder, {unmatched} without a ladder in their replicate";
        if (excess.Select(e => e.Curve.Params).Distinct().Count() < 2)
        {
            string why = $"fewer than two proxy sizes have a ladder reference ({skipped})";
            text.AppendLine(C, $"Not measured: {why}.");
            text.AppendLine();
            return new StudySection(Title, text.ToString(), [Finding.NotMeasured(Spec, Claim, why)], []);
        }
        var sizes = excess.Select(e => e.Curve.Params).Distinct().Order().ToList();
        Table(text, ["proxy (params)", "seeds", "beta_bon", "ladder's beta_bon at its alpha_bon", "beta_bon beyond the ceiling"], sizes.Select(size =>
        {
            var at = excess.Where(e => e.Curve.Params == size).ToList();
            return new[]
            {
                Label(size, at.Select(e => e.Curve)), at.Count.ToString(C), SeedSummary.Of(at.Select(e => e.Beta)).Describe(),
                SeedSummary.Of(at.Select(e => e.Reference)).Describe(), SeedSummary.Of(at.Select(e => e.Excess)).Describe(),
            };
        }));
        var points = excess.Select(e => (e.Curve.LogParams, e.Excess)).ToList();
        var line = ScalingLine.Fit(points);
        var worlds = excess.GroupBy(e => e.Curve.World).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (worlds.Count > 1)
        {
            // Each world seed alone, a reading beside the pooled finding (as the size study's world-by-world section is).
            // Each size's mean excess too, so that two sweeps on the same worlds compare world by world.
            var header = new[] { "world", "curves" }.Concat(sizes.Select(size => $"mean excess, {excess.First(e => e.Curve.Params == size).Curve.Proxy}")).Append("slope of the excess per decade [95%]").ToArray();
            Table(text, header, worlds.Select(g =>
            {
                var w = ScalingLine.Fit(g.Select(e => (e.Curve.LogParams, e.Excess)));
                var means = sizes.Select(size => g.Where(e => e.Curve.Params == size).Select(e => e.Excess).ToList()).Select(at => at.Count == 0 ? "n/a" : F(at.Average()));
                return new[] { WorldLabel(g.Key), g.Count().ToString(C) }.Concat(means).Append(w?.SlopeInterval() ?? "n/a").ToArray();
            }));
        }
        var figures = new List<string>();
        var series = RewardModelSizeStudy.SizeSeries("beta_bon beyond the ceiling", points);
        var extra = line is null ? [] : new[] { StudyPlots.Fitted($"least squares: {line.Describe()}", line.Intercept, line.Slope, series) };
        StudyPlots.Draw(Path.Combine(folder, Figure), "beta_bon beyond the ceiling against proxy size (seed means, 95% seed intervals)", "log10 proxy parameters", "beta_bon minus gold-plus-noise's at the same alpha_bon", series, extra);
        figures.Add(Figure);
        text.AppendLine(C, $"![{Figure}]({Figure})");
        text.AppendLine();
        var finding = line is null || !double.IsFinite(line.SlopeLow)
            ? Finding.NotMeasured(Spec, Claim, $"too few per-seed points for a slope interval ({points.Count})")
            : Finding.Judged(Spec, Claim, line.Falling, $"beta_bon beyond the ceiling: {line.Describe()} over {points.Count} curves ({skipped}); criterion: the slope's interval lies below 0");
        return new StudySection(Title, text.ToString(), [finding], figures);
    }

    /// <summary>
    /// What a ladder must share with a proxy's curve: the policy, world, pipeline seed and proxy seed (the samples and the
    /// noise), and the largest n (so that a sweep of sweeps with best-of-n of several reaches never pairs across them).
    /// </summary>
    private static (string, string, long, int?, int) Replicate(StudyCurve c) => (c.Policy, c.World, c.Seed, c.ProxySeed, c.Points.Count == 0 ? 0 : c.Points[^1].N);

    /// <summary>A replicate's rungs (alpha_bon, beta_bon), one per noise level, by alpha_bon.</summary>
    private static IReadOnlyList<(double Alpha, double Beta)> Ladder(IEnumerable<StudyCurve> rungs)
        => rungs.Select(c => c.Fit()).Where(f => double.IsFinite(f.Alpha) && double.IsFinite(f.Beta)).Select(f => (f.Alpha, f.Beta)).OrderBy(f => f.Alpha).ToList();

    /// <summary>The ladder's beta_bon at <paramref name="alpha"/>, linear between the rungs around it; NaN outside them.</summary>
    private static double Interpolate(IReadOnlyList<(double Alpha, double Beta)> ladder, double alpha)
    {
        for (int i = 0; i + 1 < ladder.Count; i++)
        {
            var (lo, hi) = (ladder[i], ladder[i + 1]);
            if (alpha >= lo.Alpha && alpha <= hi.Alpha)
            {
                return hi.Alpha == lo.Alpha ? (lo.Beta + hi.Beta) / 2 : lo.Beta + (hi.Beta - lo.Beta) * (alpha - lo.Alpha) / (hi.Alpha - lo.Alpha);
            }
        }
        return double.NaN;
    }
}
