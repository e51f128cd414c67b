using System.Text;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// How a size law is carried: each coefficient's change from one proxy size to the next, paired by replicate (the same
/// world, pipeline and proxy seed at both sizes), and its line through every size but the smallest. A fall carried by
/// one step at the smallest size (a proxy whose language model is left far behind) shows here, where the line's slope
/// over all sizes would pass it for a smooth law.
/// </summary>
internal static class SizeStepTable
{
    /// <summary>
    /// Appends the table for <paramref name="coefficients"/>: each a name and its per-curve values (a curve gives its
    /// size and replicate). Nothing is appended with fewer than three sizes, where the steps are the line itself.
    /// </summary>
    public static void Append(StringBuilder text, IReadOnlyList<long> sizes, IReadOnlyList<StudyCurve> curves,
        IEnumerable<(string Name, IReadOnlyList<(StudyCurve Curve, double Value)> Values)> coefficients)
    {
        if (sizes.Count < 3)
        {
            return;
        }
        var measured = coefficients.Where(c => c.Values.Count > 0).ToList();
        if (measured.Count == 0)
        {
            return;
        }
        string Name(long size) => Label(size, curves.Where(c => c.Params == size));
        var header = new List<string> { "step, paired by replicate" };
        header.AddRange(measured.Select(c => $"{c.Name}: change [95%] (replicates)"));
        var rows = new List<string[]>();
        for (int i = 0; i + 1 < sizes.Count; i++)
        {
            var (from, to) = (sizes[i], sizes[i + 1]);
            rows.Add([$"{Name(from)} to {Name(to)}", .. measured.Select(c => Step(c.Values, from, to))]);
        }
        rows.Add([$"line from {Name(sizes[1])} up, per decade", .. measured.Select(c => WithoutSmallest(c.Values, sizes[0]))]);
        text.AppendLine("Step by step: each coefficient's change from one size to the next over the replicates measured at both (mean with its 95% Student-t interval), and its least-squares line without the smallest size. A law carried by one step shows as that step alone outside 0, and as a line from the second size up whose interval holds 0.");
        text.AppendLine();
        Table(text, [.. header], rows);
    }

    private static string Step(IReadOnlyList<(StudyCurve Curve, double Value)> values, long from, long to)
    {
        var atFrom = values.Where(v => v.Curve.Params == from && double.IsFinite(v.Value)).GroupBy(v => v.Curve.Replicate).ToDictionary(g => g.Key, g => g.First().Value);
        var differences = values.Where(v => v.Curve.Params == to && double.IsFinite(v.Value) && atFrom.ContainsKey(v.Curve.Replicate))
            .GroupBy(v => v.Curve.Replicate).Select(g => g.First().Value - atFrom[g.Key]).ToList();
        return differences.Count == 0 ? "n/a" : $"{SeedSummary.Of(differences).Describe()} ({differences.Count})";
    }

    /// <summary>The least-squares line through every size but <paramref name="smallest"/>; null where it cannot be fitted.</summary>
    public static ScalingLine? LineWithoutSmallest(IEnumerable<(StudyCurve Curve, double Value)> values, long smallest)
        => ScalingLine.Fit(values.Where(v => v.Curve.Params != smallest).Select(v => (v.Curve.LogParams, v.Value)));

    private static string WithoutSmallest(IReadOnlyList<(StudyCurve Curve, double Value)> values, long smallest)
        => LineWithoutSmallest(values, smallest) is { } line && double.IsFinite(line.SlopeLow)
            ? $"{line.SlopeInterval()} ({line.Points} points, R^2 of the size means {F(line.MeansRSquared, "F2")})"
            : "n/a";
}
