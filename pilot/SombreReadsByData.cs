using OverOpt.Experiments.Analysis.Studies;

namespace WorldPilot;

/// <summary>
/// The sombre reads of a data sweep (fig. 13's mechanism on storyworld-2): agreement where sombre cheer decides, by
/// proxy size and training count, and how fast it rises per decade of comparisons. Sizes are compared on the same
/// validation pairs of each replicate (world, proxy seed, count), so each larger size's lead over the next smaller is
/// taken pair by pair before its line in log10(comparisons) is fitted.
/// </summary>
internal static class SombreReadsByData
{
    public static void Summarize(IReadOnlyList<SombreReadRow> rows)
    {
        var sizes = rows.GroupBy(r => r.Proxy).OrderBy(g => g.First().Parameters).Select(g => g.Key).ToList();
        var counts = rows.Select(r => r.TrainingComparisons).Distinct().Order().ToList();
        Console.WriteLine("\nagreement where sombre cheer decides, by training comparisons [95% over replicates]");
        Console.WriteLine("proxy | " + string.Join(" | ", counts.Select(c => $"{c:N0}")) + " | per decade of comparisons");
        foreach (string size in sizes)
        {
            var of = rows.Where(r => r.Proxy == size && double.IsFinite(r.SombreAgreement)).ToList();
            var cells = counts.Select(c => SeedSummary.Of(of.Where(r => r.TrainingComparisons == c).Select(r => r.SombreAgreement)));
            var line = ScalingLine.Fit(of.Select(r => (Math.Log10(r.TrainingComparisons), r.SombreAgreement)));
            Console.WriteLine($"{size} | " + string.Join(" | ", cells.Select(s => $"{s.Mean:F3} [{s.Low:F3}, {s.High:F3}]")) + $" | {line?.SlopeInterval("F3")}");
        }
        for (int i = 1; i < sizes.Count; i++)
        {
            var lead = Leads(rows, sizes[i], sizes[i - 1]).ToList();
            if (lead.Count == 0)
            {
                continue;
            }
            var line = ScalingLine.Fit(lead.Select(l => (Math.Log10(l.Count), l.Lead)));
            Console.WriteLine($"{sizes[i]} minus {sizes[i - 1]}, paired by replicate: mean lead {lead.Average(l => l.Lead):F3}, per decade of comparisons {line?.SlopeInterval("F3")}");
        }
    }

    /// <summary>The larger size's agreement minus the smaller's on the same replicate's validation pairs.</summary>
    private static IEnumerable<(int Count, double Lead)> Leads(IReadOnlyList<SombreReadRow> rows, string larger, string smaller) =>
        from a in rows.Where(r => r.Proxy == larger)
        join b in rows.Where(r => r.Proxy == smaller) on (a.World, a.ProxySeed, a.TrainingComparisons) equals (b.World, b.ProxySeed, b.TrainingComparisons)
        where double.IsFinite(a.SombreAgreement) && double.IsFinite(b.SombreAgreement)
        select (a.TrainingComparisons, a.SombreAgreement - b.SombreAgreement);
}
