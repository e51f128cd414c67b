using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.Sweeps.Storage;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.RewardModels;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// The paper's findings measured on a sweep database alone: reward-model size, data size, repeated data, validation
/// loss, advance prediction, proxy against gold and RL against best-of-n, KL penalty, policy size and regressional
/// Goodhart (gold plus noise), ensembles (Coste et al.) and direct alignment (Rafailov et al.), each a section of
/// sweep-report.md with its figures, and one findings table that lists every finding of the reproduction spec the
/// database can address as "holds", "does not hold" or "not measured", with the numbers behind it.
/// </summary>
public static class SweepStudies
{
    /// <summary>What the studies found.</summary>
    public sealed record Result(IReadOnlyList<StudySection> Sections, IReadOnlyList<Finding> Findings, IReadOnlyDictionary<string, ScalingLine> SizeLines, long? ChanceThreshold, int Curves);

    /// <summary>Runs every study on the database at <paramref name="databasePath"/>, writing figures into <paramref name="folder"/>.</summary>
    public static Result Analyze(string databasePath, string folder)
    {
        using var connection = SweepDatabase.OpenReadOnly(databasePath);
        return Analyze(connection, folder);
    }

    /// <summary>Runs every study on an open sweep database.</summary>
    public static Result Analyze(SqliteConnection connection, string folder)
    {
        // Every number in the report is written the same way whatever the machine's culture.
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            var read = StudyData.Read(connection);
            // Gold plus noise is the regressional study's alone, ensembles the ensemble study's and direct alignment its own:
            // every other study is about single learned proxies (an ensemble's parameters are no reward-model size).
            var all = read.Where(c => c.Kind != NoisyGoldRewardModel.KindName && c.Kind != EnsembleRewardModel.KindName && c.Method != OptimizationMethod.DirectAlignment);
            // Runs that repeat their data for more epochs are the repetition study's alone, not more replicates.
            var data = all.AtBaseEpochs();
            var size = RewardModelSizeStudy.Run(data, folder);
            var dataSize = DataSizeStudy.Run(data, folder);
            var sections = new List<StudySection>
            {
                size.Section,
                dataSize.Section,
                DataRepetitionStudy.Run(all, folder),
                ValidationLossStudy.Run(data, folder),
                AdvancePredictionStudy.Run(data, folder),
                ProxyGoldStudy.Run(data, folder),
                PolicySizeStudy.Run(data, folder),
                KlPenaltyStudy.Run(data, folder),
                RegressionalGoodhartStudy.Run(read, folder),
                EnsembleStudy.Run(read, folder),
                DirectAlignmentStudy.Run(read, folder),
            };
            // Where the sweep has a Gaussian-noise ladder (gold plus noise), beta_bon beyond the ceiling right after the size
            // study (and after its world-by-world section).
            if (CeilingExcessStudy.Run(data, read, folder) is { } ceiling)
            {
                sections.Insert(sections.IndexOf(size.Section) + 1, ceiling);
            }
            // A sweep over world seeds: the data laws world by world right after the pooled data study, and the size laws
            // right after the pooled size study.
            if (DataSizeWorldSeedStudy.Run(data, folder) is { } dataWorlds)
            {
                sections.Insert(sections.IndexOf(dataSize.Section) + 1, dataWorlds);
            }
            if (WorldSeedStudy.Run(data, folder) is { } worlds)
            {
                sections.Insert(sections.IndexOf(size.Section) + 1, worlds);
            }
            var findings = sections.SelectMany(s => s.Findings).ToList();
            findings.Add(Finding.NotMeasured("8", "iterated RLHF: k rounds of d/k give R = d(alpha - beta ln d + beta ln k) (sec. 4.2)", "a sweep database holds no iterated RLHF: a pipeline's iteratedRlhf section judges it in its report.md (pipelines/iterated-rlhf.json)"));
            // The spec's order: 1 .. 8, the best-of-n form's advance prediction after finding 2.
            var order = new[] { "1", "2", "BoN form", "3", "4", "5", "6", "7", "8", "Coste", "DAA" };
            findings = findings.OrderBy(f => Array.IndexOf(order, f.Spec) is var i and >= 0 ? i : order.Length).ToList();
            return new Result(sections, findings, size.Lines, dataSize.ChanceThreshold, read.Curves.Count);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    /// <summary>Appends the findings table and every study's section to a report.</summary>
    public static void Append(StringBuilder text, Result result)
    {
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("## Findings");
        text.AppendLine();
        text.AppendLine(c, $"Each finding of the reproduction spec (`shared/docs/reproduction-spec.md`, by its number) that this database can address, judged on it alone ({result.Curves} per-seed curves; a curve two tasks share counted once). Seeds are replicates: world seed (where the sweep draws several worlds), pipeline seed, proxy seed and PPO seed; intervals are seed-level 95% Student-t intervals unless said otherwise. FastTree proxies have no seed (they do not change with the proxy seed) and no comparable parameter count, so the size, data and validation-loss studies use transformer proxies only. A finding that does not hold is reported as such.");
        text.AppendLine();
        text.AppendLine("| # | finding | verdict | numbers |");
        text.AppendLine("| --- | --- | --- | --- |");
        foreach (var f in result.Findings)
        {
            text.AppendLine(c, $"| {f.Spec} | {Cell(f.Statement)} | {f.VerdictText} | {Cell(f.Numbers)} |");
        }
        text.AppendLine();
        foreach (var section in result.Sections)
        {
            text.AppendLine(c, $"## {section.Title}");
            text.AppendLine();
            text.Append(section.Markdown);
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
