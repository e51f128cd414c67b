using System.Text;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.SeedStatistics;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// Data size (paper fig. 4, 6, 10/21, 13, 17-18; spec finding 3): the main policy's best-of-n curves of transformer
/// proxies, by comparison count and proxy size: gold against d per count, validation loss against the chance line
/// ln 2, gold's peak and gold at the largest n, alpha_bon and beta_bon, each a seed-level mean with its 95% interval.
/// Measured only where some proxy size was trained on at least two comparison counts.
/// </summary>
public static class DataSizeStudy
{
    /// <summary>Fig. 6/10: validation loss against log10 comparisons per size, with ln 2.</summary>
    public const string ValidationLossFigure = "study-data-validation-loss.png";
    /// <summary>Fig. 13/17: gold's peak against log10 comparisons per size.</summary>
    public const string PeakGoldFigure = "study-data-peak-gold.png";
    /// <summary>Fig. 21: gold at the largest n against log10 comparisons per size.</summary>
    public const string LastGoldFigure = "study-data-gold-at-max-n.png";
    /// <summary>Fig. 18: alpha_bon against log10 comparisons per size.</summary>
    public const string AlphaFigure = "study-data-alpha-bon.png";
    /// <summary>Fig. 18: beta_bon against log10 comparisons per size.</summary>
    public const string BetaFigure = "study-data-beta-bon.png";

    /// <summary>How close to ln 2 a validation loss counts as chance.</summary>
    public const double ChanceTolerance = 0.01;

    private const string Title = "Data size (fig. 4, 6, 10, 13, 17-18, 21)";

    /// <summary>The section; <see cref="Result.ChanceThreshold"/>: the largest count up to which every size stays within 0.01 of ln 2 (null: none).</summary>
    public sealed record Result(StudySection Section, long? ChanceThreshold);

    /// <summary>One (size, count) cell: per-seed values.</summary>
    private sealed record Cell(long Params, long Count, string Label, List<StudyCurve> Curves)
    {
        public SeedSummary Loss => SeedSummary.Of(Curves.Select(c => c.ValidationLoss));
        public SeedSummary Peak => SeedSummary.Of(Curves.Select(c => c.Verdict.PeakGold));
        public SeedSummary Last => SeedSummary.Of(Curves.Select(c => c.Points[^1].GoldScore));
        public SeedSummary Alpha => SeedSummary.Of(Curves.Select(c => c.Fit().Alpha));
        public SeedSummary Beta => SeedSummary.Of(Curves.Select(c => c.Fit().Beta));
    }

    /// <summary>Runs the study on <paramref name="data"/>, writing its figures into <paramref name="folder"/>.</summary>
    public static Result Run(StudyData data, string folder)
    {
        var bonAll = data.BestOfN.Transformers().ToList();
        string? policy = MainPolicy(bonAll);
        var bon = bonAll.Where(c => c.Policy == policy).ToList();
        // The sizes trained on more than one count; the counts any of them was trained on.
        var sizes = bon.GroupBy(c => c.Params).Where(g => g.Select(c => c.Comparisons).Distinct().Count() >= 2).Select(g => g.Key).Order().ToList();
        var counts = bon.Where(c => sizes.Contains(c.Params)).Select(c => (long)c.Comparisons).Distinct().Order().ToList();
        var text = new StringBuilder();
        var figures = new List<string>();
        if (sizes.Count == 0)
        {
            var seen = bon.Select(c => c.Comparisons).Distinct().Order().ToList();
            string why = $"no proxy size was trained on more than one comparison count (counts in the sweep: {(seen.Count == 0 ? "none" : string.Join(", ", seen.Select(x => x.ToString("N0", C))))})";
            text.AppendLine(C, $"Not measured: {why}.");
            text.AppendLine();
            return new Result(new StudySection(Title, text.ToString(), NotMeasured(why), figures), null);
        }
        var cells = (from size in sizes
                     from count in counts
                     let curves = bon.Where(c => c.Params == size && c.Comparisons == count).ToList()
                     where curves.Count > 0
                     select new Cell(size, count, Label(size, curves), curves)).ToList();
        text.AppendLine(C, $"Best-of-n against transformer proxies of policy `{policy}`: {sizes.Count} size(s) trained on {counts.Count} comparison counts ({string.Join(", ", counts.Select(x => x.ToString("N0", C)))}; {Math.Log10((double)counts[^1] / counts[0]):F2} orders of magnitude). Seed-level means with 95% Student-t intervals over the replicates. Chance loss: ln 2 = {Math.Log(2):F4}.");
        text.AppendLine();
        Table(text, ["proxy (params)", "comparisons", "seeds", "val. loss", "peak gold", "gold at max n", "alpha_bon", "beta_bon"],
            cells.Select(c => new[] { c.Label, c.Count.ToString("N0", C), c.Curves.Count.ToString(C), c.Loss.Describe(), c.Peak.Describe(), c.Last.Describe(), c.Alpha.Describe(), c.Beta.Describe() }));

        // The chance threshold: the largest count up to which every size's mean loss is within the tolerance of ln 2.
        long? threshold = null;
        foreach (long count in counts)
        {
            var atCount = cells.Where(c => c.Count == count && double.IsFinite(c.Loss.Mean)).ToList();
            if (atCount.Count == 0 || atCount.Any(c => Math.Abs(c.Loss.Mean - Math.Log(2)) > ChanceTolerance))
            {
                break;
            }
            threshold = count;
        }
        var smallest = cells.Where(c => c.Count == counts[0]).ToList();
        string chance = threshold is { } t
            ? $"Every size stays within {ChanceTolerance} of ln 2 up to {t:N0} comparisons{(t == counts[^1] ? " (every count in the sweep)" : $"; at {counts.First(c => c > t):N0} at least one leaves it")}."
            : $"There is no such count here: at the smallest count ({counts[0]:N0}) {string.Join(", ", smallest.Where(c => Math.Abs(c.Loss.Mean - Math.Log(2)) > ChanceTolerance).Select(c => $"{c.Label} has loss {F(c.Loss.Mean)}"))}.";
        text.AppendLine(C, $"Is there a comparison count below which every size stays within {ChanceTolerance} of ln 2? {chance}");
        text.AppendLine();
        PastThresholdTable(text, cells, sizes, counts, threshold);

        foreach (long size in sizes)
        {
            string file = $"study-data-gold-vs-d-{size}.png";
            var series = cells.Where(c => c.Params == size).Select(c =>
            {
                var mean = Mean(c.Curves);
                return new StudySeries($"{c.Count:N0} comparisons", mean.Select(p => p.D).ToArray(), mean.Select(p => p.GoldScore).ToArray(), mean.Select(p => p.GoldCiLow).ToArray(), mean.Select(p => p.GoldCiHigh).ToArray(), Joined: true, MarkerSize: 5);
            }).ToList();
            StudyPlots.Draw(Path.Combine(folder, file), $"Fig. 4: best-of-n gold against d by comparisons, {cells.First(c => c.Params == size).Label} (seed means)", "d = sqrt(KL(pi || pi_init))", "gold score", series);
            figures.Add(file);
        }
        var byData = new (string File, string Title, string Axis, Func<Cell, SeedSummary> Value, bool Chance)[]
        {
            (ValidationLossFigure, "Fig. 6, 10: validation loss by comparisons and proxy size", "validation loss", c => c.Loss, true),
            (PeakGoldFigure, "Fig. 13, 17: gold's best-of-n peak by comparisons and proxy size", "peak gold", c => c.Peak, false),
            (LastGoldFigure, "Fig. 21: gold at the largest n by comparisons and proxy size", "gold at the largest n", c => c.Last, false),
            (AlphaFigure, "Fig. 18: alpha_bon by comparisons and proxy size", "alpha_bon", c => c.Alpha, false),
            (BetaFigure, "Fig. 18: beta_bon by comparisons and proxy size", "beta_bon", c => c.Beta, false),
        };
        foreach (var (file, title, axis, value, withChance) in byData)
        {
            var series = sizes.Select(size =>
            {
                var row = cells.Where(c => c.Params == size).ToList();
                return new StudySeries(Label(size, row.SelectMany(c => c.Curves)), row.Select(c => Math.Log10(c.Count)).ToArray(), row.Select(c => value(c).Mean).ToArray(),
                    row.Select(c => value(c).Low).ToArray(), row.Select(c => value(c).High).ToArray(), Joined: true);
            }).ToList();
            StudyPlots.Draw(Path.Combine(folder, file), title + " (seed means, 95% seed intervals)", "log10 comparisons", axis, series,
                withChance ? [StudyPlots.Horizontal("chance: ln 2", Math.Log(2), series)] : null);
            figures.Add(file);
        }
        foreach (var f in figures)
        {
            text.AppendLine(C, $"![{f}]({f})");
            text.AppendLine();
        }
        return new Result(new StudySection(Title, text.ToString(), Findings(cells, sizes, counts, threshold), figures), threshold);
    }

    private static List<Finding> NotMeasured(string why) =>
    [
        Finding.NotMeasured("3", "more comparisons give higher gold (fig. 4, 13)", why),
        Finding.NotMeasured("3", "more comparisons give less overoptimization (fig. 4)", why),
        Finding.NotMeasured("3", "below a threshold every reward model stays near chance loss and gains little gold (fig. 6, 10)", why),
        Finding.NotMeasured("3", "larger reward models improve faster past the threshold (fig. 13, 17)", why),
    ];

    private static List<Finding> Findings(IReadOnlyList<Cell> cells, IReadOnlyList<long> sizes, IReadOnlyList<long> counts, long? threshold)
    {
        var findings = new List<Finding>();
        // Per size: lines through the per-seed points against log10 comparisons, over every count.
        ScalingLine? Line(long size, Func<StudyCurve, double> value) => DataLine(cells, size, 0, value);
        string Label(long size) => cells.First(c => c.Params == size).Label;

        var peakLines = sizes.Select(s => (Size: s, Line: Line(s, c => c.Verdict.PeakGold))).ToList();
        findings.Add(Judge("more comparisons give higher gold: gold's best-of-n peak rises with log10(comparisons) for every size (fig. 4, 13)",
            peakLines, l => l.Rising, "above", Label));
        // Overoptimization as the share of its peak that gold has lost by the largest n (curves whose gold rises at all).
        var dropLines = sizes.Select(s => (Size: s, Line: Line(s, c => c.Verdict.PeakGold > 0 ? (c.Verdict.PeakGold - c.Points[^1].GoldScore) / c.Verdict.PeakGold : double.NaN))).ToList();
        findings.Add(Judge("more comparisons give less overoptimization: the share of gold's peak lost by the largest n, (peak - end) / peak, falls with log10(comparisons) for every size (fig. 4)",
            dropLines, l => l.Falling, "below", Label));
        double ln2 = Math.Log(2);
        string losses = string.Join("; ", counts.Select(n => $"{n:N0}: {string.Join(", ", cells.Where(c => c.Count == n).Select(c => $"{F(c.Loss.Mean)}"))}"));
        if (cells.All(c => !double.IsFinite(c.Loss.Mean)))
        {
            findings.Add(Finding.NotMeasured("3", "below a threshold every reward model stays near chance loss and gains little gold (fig. 6, 10)", "the database has no validation losses"));
        }
        else
        {
            var below = threshold is { } t ? cells.Where(c => c.Count <= t).ToList() : [];
            findings.Add(Finding.Judged("3", "below a threshold every reward model stays near chance loss (within 0.01 of ln 2) and gains little gold, and past it they leave chance (fig. 6, 10)",
                threshold is { } th && th < counts[^1],
                (threshold is { } x ? $"every size within {ChanceTolerance} of ln 2 up to {x:N0} comparisons (peak gold there at most {F(below.Max(c => c.Peak.Mean))})" : "no count at which every size is within 0.01 of ln 2") +
                $"; mean validation loss by count (sizes in order): {losses}; criterion: such a count exists and a larger count in the sweep leaves chance"));
        }
        if (sizes.Count < 2)
        {
            findings.Add(Finding.NotMeasured("3", "larger reward models improve faster past the threshold (fig. 13, 17)", "one proxy size with several comparison counts"));
        }
        else
        {
            long from = PastThreshold(counts, threshold);
            var (small, large) = (PeakLine(cells, sizes[0], from), PeakLine(cells, sizes[^1], from));
            if (small is null || large is null)
            {
                findings.Add(Finding.NotMeasured("3", "larger reward models improve faster past the threshold (fig. 13, 17)", $"too few counts from {from:N0} comparisons on for slope intervals"));
            }
            else
            {
                var (difference, low, high) = SlopeDifference(large, small);
                findings.Add(Finding.Judged("3", "larger reward models improve faster past the threshold: gold's peak rises faster with log10(comparisons) for the largest size than for the smallest (fig. 13, 17)",
                    low > 0,
                    $"from {from:N0} comparisons: {Label(sizes[^1])} {large.Describe()}; {Label(sizes[0])} {small.Describe()}; difference {F(difference)} [{F(low)}, {F(high)}]; criterion: the difference's interval lies above 0"));
            }
        }
        return findings;
    }

    /// <summary>The first count past the chance threshold (the smallest count where there is none).</summary>
    private static long PastThreshold(IReadOnlyList<long> counts, long? threshold) =>
        threshold is { } t ? counts.FirstOrDefault(c => c > t, counts[^1]) : counts[0];

    /// <summary>Gold's peak against log10 comparisons through one size's per-seed points from <paramref name="from"/> on; null without a slope interval.</summary>
    private static ScalingLine? PeakLine(IReadOnlyList<Cell> cells, long size, long from) => DataLine(cells, size, from, c => c.Verdict.PeakGold);

    /// <summary>
    /// One size's per-seed <paramref name="value"/> against log10 comparisons from <paramref name="from"/> on (a
    /// non-finite value left out by the fit); null without a slope interval.
    /// </summary>
    private static ScalingLine? DataLine(IReadOnlyList<Cell> cells, long size, long from, Func<StudyCurve, double> value)
    {
        var line = ScalingLine.Fit(cells.Where(c => c.Params == size && c.Count >= from).SelectMany(c => c.Curves.Select(k => (Math.Log10(c.Count), value(k)))));
        return line is not null && double.IsFinite(line.SlopeLow) ? line : null;
    }

    /// <summary>
    /// The difference of two slopes fitted on separate seeds' points, with a t interval on their pooled degrees of
    /// freedom: the two lines share no replicate, so their errors add.
    /// </summary>
    private static (double Difference, double Low, double High) SlopeDifference(ScalingLine large, ScalingLine small)
    {
        double seLarge = (large.SlopeHigh - large.Slope) / SeedInterval.StudentT975(large.Points - 2);
        double seSmall = (small.SlopeHigh - small.Slope) / SeedInterval.StudentT975(small.Points - 2);
        double half = SeedInterval.StudentT975(large.Points + small.Points - 4) * Math.Sqrt(seLarge * seLarge + seSmall * seSmall);
        double difference = large.Slope - small.Slope;
        return (difference, difference - half, difference + half);
    }

    /// <summary>
    /// Past the threshold, each size's gain per decade of comparisons and its difference from the next smaller size's:
    /// the finding compares only the ends, which a step at the smallest size decides alone.
    /// </summary>
    private static void PastThresholdTable(StringBuilder text, IReadOnlyList<Cell> cells, IReadOnlyList<long> sizes, IReadOnlyList<long> counts, long? threshold)
    {
        if (sizes.Count < 2)
        {
            return;
        }
        long from = PastThreshold(counts, threshold);
        var lines = sizes.Select(s => (Label: cells.First(c => c.Params == s).Label, Peak: PeakLine(cells, s, from), Loss: DataLine(cells, s, from, c => c.ValidationLoss))).ToList();
        text.AppendLine(C, $"Past the threshold, from {from:N0} comparisons: how fast each size's gold peak rises and its validation loss falls per decade of comparisons, and the difference from the next smaller size's (95% intervals over the per-seed points).");
        text.AppendLine();
        static string Gain(ScalingLine? line, string format) => line is null ? "too few points" : line.SlopeInterval(format);
        static string Beyond(ScalingLine? above, ScalingLine? below, string format)
        {
            if (above is null || below is null)
            {
                return "too few points";
            }
            var (difference, low, high) = SlopeDifference(above, below);
            return $"{F(difference, format)} [{F(low, format)}, {F(high, format)}]";
        }
        Table(text, ["proxy (params)", "peak gold per decade of comparisons", "minus the next smaller size", "val. loss per decade of comparisons", "minus the next smaller size"],
            lines.Select((l, i) => new[]
            {
                l.Label,
                Gain(l.Peak, "F3"), i == 0 ? "" : Beyond(l.Peak, lines[i - 1].Peak, "F3"),
                Gain(l.Loss, "F4"), i == 0 ? "" : Beyond(l.Loss, lines[i - 1].Loss, "F4"),
            }));
    }

    private static Finding Judge(string finding, IReadOnlyList<(long Size, ScalingLine? Line)> lines, Func<ScalingLine, bool> holds, string side, Func<long, string> label)
    {
        var usable = lines.Where(l => l.Line is { } x && double.IsFinite(x.SlopeLow)).ToList();
        if (usable.Count == 0)
        {
            return Finding.NotMeasured("3", finding, "too few (count, seed) points per size for a slope interval");
        }
        return Finding.Judged("3", finding, usable.All(l => holds(l.Line!)),
            string.Join("; ", usable.Select(l => $"{label(l.Size)}: {l.Line!.Describe("per decade of comparisons")}")) + $"; criterion: every size's slope interval lies {side} 0");
    }
}
