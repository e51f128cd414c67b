using System.Text;
using OverOpt.Experiments.Outcomes;
using OverOpt.MLNet.Curves;
using static OverOpt.Experiments.Analysis.Studies.StudySlices;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// The reward-model size laws world by world, for a sweep over world seeds: the size study run on each world's curves
/// alone (its figures in a folder of their own), each law's slope per world, and the mean of the per-world slopes with a
/// 95% interval over worlds (world seeds as the unit), and the stepped laws' slopes without each world's smallest size.
/// A law of the world holds where it holds on every world seed; a pooled slope alone could come from one world that
/// happens to show it.
/// </summary>
public static class WorldSeedStudy
{
    /// <summary>The laws compared across worlds: the size study's coefficients and validation loss, each with the direction the paper finds.</summary>
    private static readonly (string Name, string Finding, bool Rising)[] Laws =
    [
        ("val. loss", "validation loss falls as reward models grow, on every world seed (fig. 6)", false),
        ("beta_bon", "beta_bon falls as reward models grow, on every world seed (fig. 3)", false),
        ("bon peak gold", "bigger proxies peak higher under best-of-n, on every world seed (fig. 1)", true),
        ("beta_RL", "beta_RL falls as reward models grow, on every world seed (fig. 3)", false),
    ];

    private const string Title = "Reward-model size on each world seed";

    /// <summary>The section, or null where the sweep's curves come from fewer than two worlds.</summary>
    public static StudySection? Run(StudyData data, string folder)
    {
        var worlds = data.Curves.Select(c => c.World).Distinct().Order(StringComparer.Ordinal).ToList();
        if (worlds.Count < 2)
        {
            return null;
        }
        var perWorld = new List<(string World, string Folder, IReadOnlyDictionary<string, ScalingLine> Lines, IReadOnlyDictionary<string, ScalingLine> WithoutSmallest, IReadOnlyList<string> Figures)>();
        foreach (string world in worlds)
        {
            string sub = WorldFolder(world);
            Directory.CreateDirectory(Path.Combine(folder, sub));
            var worldData = data.Where(c => c.World == world);
            var size = RewardModelSizeStudy.Run(worldData, Path.Combine(folder, sub));
            var lines = new Dictionary<string, ScalingLine>(size.Lines);
            // One validation loss per proxy and replicate: the best-of-n curves carry it once each.
            if (ScalingLine.Fit(worldData.Curves.Transformers().Where(c => c.Method == OptimizationMethod.BestOfN).Select(c => (c.LogParams, c.ValidationLoss))) is { } loss)
            {
                lines["val. loss"] = loss;
            }
            perWorld.Add((WorldLabel(world), sub, lines, size.LinesWithoutSmallest, size.Section.Figures));
        }

        var text = new StringBuilder();
        text.AppendLine(C, $"The reward-model size study on each world's curves alone ({perWorld.Count} worlds); per world, each law's least-squares slope per decade of parameters through the per-seed points with its 95% interval; then the mean of the per-world slopes with a 95% Student-t interval over world seeds. The pooled study above treats world seeds as replicates beside proxy and PPO seeds.");
        text.AppendLine();
        Table(text, ["world", .. Laws.Select(l => $"{l.Name} slope [95%]")], SlopeRows(perWorld.Select(w => (w.World, w.Lines)), Laws.Select(l => l.Name).ToList()));
        var findings = new List<Finding>();
        var across = new List<string>();
        foreach (var (name, finding, rising) in Laws)
        {
            var measured = perWorld.Where(w => HasInterval(w.Lines, name)).ToList();
            if (measured.Count < 2)
            {
                findings.Add(Finding.NotMeasured("1", finding, $"{measured.Count} world{(measured.Count == 1 ? "" : "s")} with a slope interval for {name}"));
                continue;
            }
            var slopes = SeedSummary.Of(measured.Select(w => w.Lines[name].Slope));
            across.Add(MeanOverWorlds(name, slopes));
            bool holds = measured.Count == perWorld.Count && measured.All(w => rising ? w.Lines[name].Rising : w.Lines[name].Falling);
            findings.Add(Finding.Judged("1", finding, holds,
                string.Join("; ", measured.Select(w => $"{w.World}: {w.Lines[name].SlopeInterval()}")) +
                $"; mean over worlds {slopes.Describe("F4")}; criterion: on each of the {perWorld.Count} worlds the slope's interval lies {(rising ? "above" : "below")} 0"));
        }
        if (across.Count > 0)
        {
            text.AppendLine(C, $"Mean of the per-world slopes [95% over worlds]: {string.Join("; ", across)}.");
            text.AppendLine();
        }
        AppendWithoutSmallest(text, perWorld.Select(w => (w.World, w.WithoutSmallest)).ToList());
        foreach (var w in perWorld)
        {
            foreach (var (figure, name) in new[] { (RewardModelSizeStudy.BetaRlFigure, "beta_RL"), (RewardModelSizeStudy.BetaBonFigure, "beta_bon") }.Where(f => w.Figures.Contains(f.Item1)))
            {
                text.AppendLine(C, $"![{w.World}: {name} against size]({w.Folder}/{figure})");
                text.AppendLine();
            }
        }
        return new StudySection(Title, text.ToString(), findings, perWorld.SelectMany(w => w.Figures.Select(f => $"{w.Folder}/{f}")).ToList());
    }

    /// <summary>
    /// The stepped laws' lines without each world's smallest size, world by world and their mean over worlds: a law that a
    /// single step at the smallest size carries on one world would otherwise pass for a line there. Nothing where no world
    /// has three sizes.
    /// </summary>
    private static void AppendWithoutSmallest(StringBuilder text, IReadOnlyList<(string World, IReadOnlyDictionary<string, ScalingLine> Lines)> perWorld)
    {
        var names = Laws.Select(l => l.Name).Where(n => perWorld.Any(w => w.Lines.ContainsKey(n))).ToList();
        if (names.Count == 0)
        {
            return;
        }
        text.AppendLine("Without each world's smallest size: the same slopes through the other sizes' per-seed points.");
        text.AppendLine();
        Table(text, ["world", .. names.Select(n => $"{n} slope without the smallest size [95%]")], SlopeRows(perWorld, names));
        var across = names
            .Select(n => (Name: n, Slopes: SeedSummary.Of(perWorld.Where(w => HasInterval(w.Lines, n)).Select(w => w.Lines[n].Slope))))
            .Where(a => a.Slopes.Seeds >= 2)
            .Select(a => MeanOverWorlds(a.Name, a.Slopes))
            .ToList();
        if (across.Count > 0)
        {
            text.AppendLine(C, $"Mean of the per-world slopes without the smallest size [95% over worlds]: {string.Join("; ", across)}.");
            text.AppendLine();
        }
    }

    /// <summary>A world's line of <paramref name="name"/> with a slope interval (three points or more): what a mean over worlds counts.</summary>
    private static bool HasInterval(IReadOnlyDictionary<string, ScalingLine> lines, string name)
        => lines.TryGetValue(name, out var line) && double.IsFinite(line.SlopeLow);

    /// <summary>One table row a world: its slope of each of <paramref name="names"/> with its interval, "n/a" where it has none.</summary>
    private static IEnumerable<string[]> SlopeRows(IEnumerable<(string World, IReadOnlyDictionary<string, ScalingLine> Lines)> perWorld, IReadOnlyList<string> names)
        => perWorld.Select(w => new[] { w.World }.Concat(names.Select(n => w.Lines.TryGetValue(n, out var line) ? line.SlopeInterval() : "n/a")).ToArray());

    private static string MeanOverWorlds(string name, SeedSummary slopes) => $"{name}: {slopes.Describe("F4")} per decade over {slopes.Seeds} world seeds";
}
