using System.Globalization;
using System.Text;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.SeedStatistics;
using OverOpt.MLNet.Curves;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>What one study adds to sweep-report.md: a section (markdown, figures beside it) and its findings.</summary>
public sealed record StudySection(string Title, string Markdown, IReadOnlyList<Finding> Findings, IReadOnlyList<string> Figures);

/// <summary>What the studies share: choosing the slice of the sweep a study reads, and curves averaged over seeds.</summary>
internal static class StudySlices
{
    public static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Transformer proxies (FastTree's "parameters" are trees x leaves, not comparable with a network's).</summary>
    public static IEnumerable<StudyCurve> Transformers(this IEnumerable<StudyCurve> curves) => curves.Where(c => c.Kind != "fasttree" && c.Params > 0);

    /// <summary>The policy most curves optimize (pi_init in every study but the policy-size one), among <paramref name="curves"/>.</summary>
    public static string? MainPolicy(IEnumerable<StudyCurve> curves)
        => curves.GroupBy(c => c.Policy).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();

    /// <summary>The comparison count with the most distinct proxy sizes (the larger count on ties): the reward-model size study's data size.</summary>
    public static long? SizeCount(IEnumerable<StudyCurve> curves)
        => curves.GroupBy(c => c.Comparisons).OrderByDescending(g => g.Select(c => c.Params).Distinct().Count()).ThenByDescending(g => g.Key)
            .Select(g => (long?)g.Key).FirstOrDefault();

    /// <summary>
    /// The reward-model size study's slice of transformer curves: the policy most best-of-n curves optimize (else most
    /// curves), and at it the comparison count with the most sizes among best-of-n curves (else among all).
    /// </summary>
    public static (string? Policy, long? Count) SizeSlice(IReadOnlyList<StudyCurve> transformers)
    {
        bool BestOfN(StudyCurve c) => c.Method == OptimizationMethod.BestOfN;
        string? policy = MainPolicy(transformers.Where(BestOfN)) ?? MainPolicy(transformers);
        var atPolicy = transformers.Where(c => c.Policy == policy).ToList();
        return (policy, SizeCount(atPolicy.Where(BestOfN)) ?? SizeCount(atPolicy));
    }

    /// <summary>The folder beside the report that holds a world seed's own study figures, e.g. <c>world-storyworld-1-2</c>.</summary>
    public static string WorldFolder(string world) => "world-" + string.Concat(world.Select(ch => char.IsLetterOrDigit(ch) ? ch : '-'));

    /// <summary>A world as the reports name it (the bundled tinytales corpus has no world setting).</summary>
    public static string WorldLabel(string world) => world == "" ? "tinytales" : world;

    /// <summary>The least KL coefficient among PPO curves (0 where the sweep has unpenalized runs).</summary>
    public static double LeastKl(IEnumerable<StudyCurve> curves) => curves.Select(c => c.KlCoefficient).DefaultIfEmpty(0).Min();

    /// <summary>
    /// The mean over replicates of curves of one configuration, point by point at the n (best-of-n) or steps (PPO) every
    /// replicate has, with seed-level 95% intervals (<see cref="SeedMeanCurve"/>); a single replicate is returned as it is,
    /// with its own intervals (bootstrap over prompts, or samples for PPO); none gives an empty curve.
    /// </summary>
    public static IReadOnlyList<CurvePoint> Mean(IReadOnlyList<StudyCurve> replicates)
    {
        if (replicates.Count <= 1)
        {
            return replicates.Count == 0 ? [] : replicates[0].Points;
        }
        bool ppo = replicates[0].Method != OptimizationMethod.BestOfN;
        double Key(CurvePoint p) => ppo ? p.Step : p.N;
        var common = replicates.Select(r => r.Points.Select(Key).ToHashSet()).Aggregate((a, b) => { a.IntersectWith(b); return a; });
        var aligned = replicates.Select(r => (IReadOnlyList<CurvePoint>)r.Points.Where(p => common.Contains(Key(p))).OrderBy(Key).ToList()).ToList();
        return aligned[0].Count == 0 ? [] : SeedMeanCurve.Of(aligned);
    }

    /// <summary>A proxy's label: its name and parameters, e.g. "tf-1x8 (2,321)".</summary>
    public static string Label(long parameters, IEnumerable<StudyCurve> curves)
        => $"{string.Join("/", curves.Select(c => c.Proxy).Distinct().Order(StringComparer.Ordinal))} ({parameters.ToString("N0", C)})";

    /// <summary>Appends a markdown table.</summary>
    public static void Table(StringBuilder text, string[] header, IEnumerable<IEnumerable<string>> rows)
    {
        text.AppendLine($"| {string.Join(" | ", header)} |");
        text.AppendLine($"|{string.Concat(header.Select(_ => " --- |"))}");
        foreach (var row in rows)
        {
            text.AppendLine($"| {string.Join(" | ", row)} |");
        }
        text.AppendLine();
    }

    /// <summary>
    /// A finding judged part by part (a configuration, a size, ...): it holds where every part holds, its numbers are the
    /// parts' texts and the criterion; with no part it is not measured, for the reason <paramref name="absent"/>.
    /// </summary>
    public static Finding JudgeParts(string spec, string claim, IReadOnlyList<(bool Holds, string Text)> parts, string criterion, string absent)
        => parts.Count == 0 ? Finding.NotMeasured(spec, claim, absent)
            : Finding.Judged(spec, claim, parts.All(p => p.Holds), $"{string.Join("; ", parts.Select(p => p.Text))}; criterion: {criterion}");

    /// <summary>A section that says why it measured nothing, with every one of its <paramref name="claims"/> not measured for that reason.</summary>
    public static StudySection NotMeasuredSection(StringBuilder text, string title, string spec, IEnumerable<string> claims, string why)
    {
        text.AppendLine(C, $"Not measured: {why}.");
        text.AppendLine();
        return new StudySection(title, text.ToString(), claims.Select(c => Finding.NotMeasured(spec, c, why)).ToList(), []);
    }

    public static string F(double value, string format = "F3") => double.IsFinite(value) ? value.ToString(format, C) : "n/a";
}
