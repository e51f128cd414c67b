using System.Text;
using OverOpt.Experiments.Outcomes;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// The data-size laws world by world, for a sweep over world seeds and comparison counts: the data-size study run on
/// each world's curves alone (its figures in the world's folder, beside the size study's), and each of its findings
/// judged on every world seed. As with reward-model size (<see cref="WorldSeedStudy"/>), a law of the world holds where
/// it holds on each world seed: a pooled verdict could come from one world that happens to show it.
/// </summary>
public static class DataSizeWorldSeedStudy
{
    private const string Title = "Data size on each world seed";

    /// <summary>The section, or null where the curves come from fewer than two worlds or no world has a data axis.</summary>
    public static StudySection? Run(StudyData data, string folder)
    {
        var worlds = data.Curves.Select(c => c.World).Distinct().Order(StringComparer.Ordinal).ToList();
        if (worlds.Count < 2)
        {
            return null;
        }
        var perWorld = new List<(string World, string Folder, IReadOnlyList<Finding> Findings, long? Threshold)>();
        foreach (string world in worlds)
        {
            string sub = WorldFolder(world);
            Directory.CreateDirectory(Path.Combine(folder, sub));
            var result = DataSizeStudy.Run(data.Where(c => c.World == world), Path.Combine(folder, sub));
            perWorld.Add((WorldLabel(world), sub, result.Section.Findings, result.ChanceThreshold));
        }
        if (perWorld.All(w => w.Findings.All(f => f.Verdict == FindingVerdict.NotMeasured)))
        {
            return null;
        }

        var text = new StringBuilder();
        text.AppendLine(C, $"The data-size study on each world's curves alone ({perWorld.Count} worlds), each finding judged by that study's own criterion on the world's replicates; a finding holds on every world seed where it holds on each.");
        text.AppendLine();
        // The data-size study judges the same claims in the same order whatever the data (not measured where it cannot tell).
        var statements = perWorld[0].Findings.Select(f => f.Statement).ToList();
        Table(text, ["finding", .. perWorld.Select(w => w.World)],
            statements.Select((s, i) => new[] { s }.Concat(perWorld.Select(w => w.Findings[i].VerdictText))));
        text.AppendLine(C, $"Chance threshold by world: {string.Join("; ", perWorld.Select(w => $"{w.World}: {(w.Threshold is { } t ? $"{t:N0} comparisons" : "none")}"))}.");
        text.AppendLine();
        foreach (var w in perWorld)
        {
            text.AppendLine(C, $"![{w.World}: gold's best-of-n peak by comparisons and size]({w.Folder}/{DataSizeStudy.PeakGoldFigure})");
            text.AppendLine();
        }

        var findings = statements.Select((statement, i) =>
        {
            var verdicts = perWorld.Select(w => (w.World, Finding: w.Findings[i])).ToList();
            // A findings-table cell: worlds apart by "; world ..." (a "|" would end the cell).
            string numbers = string.Join("; ", verdicts.Select(v => $"world {v.World} {v.Finding.VerdictText} ({v.Finding.Numbers})"));
            bool? holds = verdicts.Any(v => v.Finding.Verdict == FindingVerdict.NotMeasured)
                ? null
                : verdicts.All(v => v.Finding.Verdict == FindingVerdict.Holds);
            return Finding.Judged("3", $"on every world seed: {statement}", holds, numbers + $"; criterion: it holds on each of the {perWorld.Count} worlds");
        }).ToList();
        var figures = perWorld.SelectMany(w => new[] { DataSizeStudy.ValidationLossFigure, DataSizeStudy.PeakGoldFigure }.Select(f => $"{w.Folder}/{f}")).ToList();
        return new StudySection(Title, text.ToString(), findings, figures);
    }
}
