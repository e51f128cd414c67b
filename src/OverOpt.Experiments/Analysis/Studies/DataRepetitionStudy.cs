using System.Text;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Outcomes;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// Repeated data against more data (paper fig. 13; spec finding 3): a proxy trained for E epochs on N comparisons sees
/// as many comparisons as one trained for the base epochs B on N x E / B; the study sets each repeated run beside the
/// base-epoch run of the same size on that larger count, when the sweep has it, and compares gold's best-of-n peak and
/// the validation loss over seeds. The paper's finding: repetition does not substitute for more data.
/// </summary>
public static class DataRepetitionStudy
{
    /// <summary>Gold's peak against comparisons seen (count x epochs / base epochs), more data against repeated data, per size.</summary>
    public const string Figure = "study-data-repetition.png";

    private const string Title = "Repeated data against more data (fig. 13)";
    private const string Statement = "repeating small data for more epochs does not substitute for more data (fig. 13)";

    /// <summary>One configuration: a size, a count and the epochs, with its per-seed curves.</summary>
    private sealed record Cell(long Params, long Count, int Epochs, List<StudyCurve> Curves)
    {
        public SeedSummary Peak => SeedSummary.Of(Curves.Select(c => c.Verdict.PeakGold));
        public SeedSummary Loss => SeedSummary.Of(Curves.Select(c => c.ValidationLoss));
    }

    /// <summary>Runs the study on every curve of <paramref name="data"/> (all epochs), writing its figure into <paramref name="folder"/>.</summary>
    public static StudySection Run(StudyData data, string folder)
    {
        int baseEpochs = data.BaseEpochs;
        var bonAll = data.BestOfN.Transformers().Where(c => c.Epochs > 0).ToList();
        string? policy = MainPolicy(bonAll);
        var cells = bonAll.Where(c => c.Policy == policy).GroupBy(c => (c.Params, c.Comparisons, c.Epochs))
            .Select(g => new Cell(g.Key.Params, g.Key.Comparisons, g.Key.Epochs, g.ToList())).ToList();
        // Each repeated cell with the base-epoch cell of its size that saw as many comparisons from distinct data.
        var pairs = (from repeated in cells
                     where repeated.Epochs != baseEpochs && repeated.Count * repeated.Epochs % baseEpochs == 0
                     let seen = repeated.Count * repeated.Epochs / baseEpochs
                     let more = cells.FirstOrDefault(c => c.Params == repeated.Params && c.Epochs == baseEpochs && c.Count == seen)
                     where more is not null
                     orderby repeated.Params, repeated.Count, repeated.Epochs
                     select (Repeated: repeated, More: more)).ToList();
        var text = new StringBuilder();
        if (pairs.Count == 0)
        {
            string why = cells.Select(c => c.Epochs).Distinct().Count() < 2
                ? "the sweep varies no epochs at a fixed data size"
                : "no run on repeated data has a base-epoch run of its size on as many distinct comparisons";
            text.AppendLine(C, $"Not measured: {why}.");
            text.AppendLine();
            return new StudySection(Title, text.ToString(), [Finding.NotMeasured("3", Statement, why)], []);
        }
        text.AppendLine(C, $"Best-of-n against transformer proxies of policy `{policy}`. Each proxy trained for more than the base {baseEpochs} epochs on a comparison count is set beside the same size trained for {baseEpochs} epochs on as many distinct comparisons (count x epochs / {baseEpochs}). Seed-level means with 95% Student-t intervals.");
        text.AppendLine();
        Table(text, ["proxy (params)", "repeated: comparisons x epochs", "seeds", "peak gold", "val. loss", "more data: comparisons x epochs", "seeds", "peak gold", "val. loss"],
            pairs.Select(p => new[]
            {
                Label(p.Repeated.Params, p.Repeated.Curves), $"{p.Repeated.Count:N0} x {p.Repeated.Epochs}", p.Repeated.Curves.Count.ToString(C), p.Repeated.Peak.Describe(), p.Repeated.Loss.Describe(),
                $"{p.More.Count:N0} x {p.More.Epochs}", p.More.Curves.Count.ToString(C), p.More.Peak.Describe(), p.More.Loss.Describe(),
            }));

        var series = new List<StudySeries>();
        foreach (long size in pairs.Select(p => p.Repeated.Params).Distinct())
        {
            var baseRow = cells.Where(c => c.Params == size && c.Epochs == baseEpochs).OrderBy(c => c.Count).ToList();
            string label = Label(size, baseRow.SelectMany(c => c.Curves));
            series.Add(Series($"{label}, more data ({baseEpochs} epochs)", baseRow, baseEpochs));
            foreach (var group in cells.Where(c => c.Params == size && c.Epochs != baseEpochs).GroupBy(c => c.Count).OrderBy(g => g.Key))
            {
                var row = group.Append(baseRow.FirstOrDefault(c => c.Count == group.Key)).OfType<Cell>().OrderBy(c => c.Epochs).ToList();
                series.Add(Series($"{label}, {group.Key:N0} repeated", row, baseEpochs));
            }
        }
        StudyPlots.Draw(Path.Combine(folder, Figure), "Fig. 13: gold's best-of-n peak, more data against repeated data (seed means, 95% seed intervals)",
            $"log10 comparisons seen (comparisons x epochs / {baseEpochs})", "peak gold", series);
        text.AppendLine(C, $"![{Figure}]({Figure})");
        text.AppendLine();

        // Repetition does not substitute when the repeated run's seed-mean peak lies below the more-data run's interval.
        int below = pairs.Count(p => p.Repeated.Peak.Mean < p.More.Peak.Low);
        bool holds = below == pairs.Count;
        string numbers = $"{below} of {pairs.Count} pairs: " + string.Join("; ", pairs.Select(p =>
            $"{Label(p.Repeated.Params, p.Repeated.Curves)} {p.Repeated.Count:N0} x {p.Repeated.Epochs}: {F(p.Repeated.Peak.Mean)} against {p.More.Count:N0} x {p.More.Epochs}: {p.More.Peak.Describe()}"))
            + "; criterion: every repeated run's seed-mean peak gold lies below the interval of the run on as many distinct comparisons";
        return new StudySection(Title, text.ToString(), [Finding.Judged("3", Statement, holds, numbers)], [Figure]);
    }

    private static StudySeries Series(string label, IReadOnlyList<Cell> row, int baseEpochs)
        => new(label, row.Select(c => Math.Log10((double)c.Count * c.Epochs / baseEpochs)).ToArray(), row.Select(c => c.Peak.Mean).ToArray(),
            row.Select(c => c.Peak.Low).ToArray(), row.Select(c => c.Peak.High).ToArray(), Joined: true);
}
