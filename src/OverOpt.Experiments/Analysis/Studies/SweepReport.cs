using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using OverOpt.Experiments.Figures;
using OverOpt.Experiments.Sweeps.Storage;
using OverOpt.MLNet.Artifacts;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// <c>sweep-report.md</c> and its figures, drawn from the merged database alone (so what the report shows is what any
/// SQLite client finds): the paper's findings measured on the sweep with their figures (<see cref="Analysis.Studies.SweepStudies"/>),
/// the tasks with their status and time, the unfinished ones with their logs and rerun commands, gold's peak and the
/// fitted beta against the proxy's parameter count, one colour per method.
/// </summary>
public static class SweepReport
{
    /// <summary>Gold's peak along each curve against log10 proxy parameters, per method.</summary>
    public const string GoldPeakFigure = "sweep-gold-peak-vs-params.png";
    /// <summary>The fitted beta against log10 proxy parameters, per method.</summary>
    public const string BetaFigure = "sweep-beta-vs-params.png";

    /// <summary>Writes the report beside the database; returns its path.</summary>
    public static string Write(string databasePath, string reportPath)
    {
        var c = CultureInfo.InvariantCulture;
        string folder = Path.GetDirectoryName(Path.GetFullPath(reportPath))!;
        using var connection = SweepDatabase.OpenReadOnly(databasePath);
        var text = new StringBuilder();
        var (name, file, tasks, merged) = SweepDatabase.Query(connection, "SELECT name, file, tasks, merged_utc FROM sweep", r => (r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3))).Single();
        var runs = SweepDatabase.Query(connection, "SELECT task_index, substr(hash, 1, 10), label, status, wall_seconds, log_path, rerun_command FROM runs ORDER BY task_index",
            r => (Index: r.GetInt32(0), Hash: r.GetString(1), Label: r.GetString(2), Status: r.GetString(3), Seconds: r.IsDBNull(4) ? (double?)null : r.GetDouble(4),
                Log: r.IsDBNull(5) ? null : r.GetString(5), Rerun: r.IsDBNull(6) ? null : r.GetString(6)));
        int done = runs.Count(r => r.Status == "done");
        text.AppendLine(CultureInfo.InvariantCulture, $"# Sweep {name}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{tasks} tasks from `{file}`: {done} done, {runs.Count(r => r.Status == "failed")} failed, {tasks - done - runs.Count(r => r.Status == "failed")} not finished{(done < tasks ? " (see *Not finished*; the findings use the finished tasks only)" : "")}. Merged {merged} into `{Path.GetFileName(databasePath)}` (tables `runs`, `curve_points`, `fits`, `reward_models`, `policies`, `sweep`).");
        text.AppendLine();
        SweepStudies.Append(text, SweepStudies.Analyze(connection, folder));
        text.AppendLine("## Tasks");
        text.AppendLine();
        text.AppendLine("| task | hash | varies | status | wall s |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var r in runs)
        {
            text.AppendLine(c, $"| {r.Index} | {r.Hash} | {r.Label} | {r.Status} | {(r.Seconds is { } s ? s.ToString("F1", c) : "")} |");
        }
        var unfinished = runs.Where(r => r.Status != "done").ToList();
        if (unfinished.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## Not finished");
            text.AppendLine();
            foreach (var r in unfinished)
            {
                text.AppendLine(c, $"- task {r.Index} ({r.Label}): {r.Status}{(r.Log is null ? "" : $", log `{r.Log}`")}; rerun: `{r.Rerun}`");
            }
        }
        text.AppendLine();
        text.AppendLine("## Figures");
        text.AppendLine();
        Figure(connection, text, folder, GoldPeakFigure, "curve_points", ["method", "proxy_params", "gold_score", "seed"],
            "SELECT method, proxy_params, MAX(gold_score) FROM curve_points WHERE seed <> 'mean' AND proxy_params > 0 AND gold_score IS NOT NULL GROUP BY task_index, method, proxy, seed",
            "Gold's peak (highest gold score along each curve) against proxy size", "highest gold score along the curve");
        Figure(connection, text, folder, BetaFigure, "fits", ["method", "proxy_params", "beta", "seed", "alpha_shared"],
            "SELECT method, proxy_params, beta FROM fits WHERE seed <> 'mean' AND alpha_shared <> 'true' AND proxy_params > 0 AND beta IS NOT NULL",
            "Fitted beta against proxy size (bon: R = d(alpha - beta d); ppo: R = d(alpha - beta ln d))", "beta");
        AtomicFile.WriteAllText(reportPath, text.ToString());
        return reportPath;
    }

    /// <summary>A figure of (method, parameters, value) rows, one series per method, or a line saying why there is none.</summary>
    private static void Figure(SqliteConnection connection, StringBuilder text, string folder, string fileName, string table, string[] needed, string sql, string title, string yLabel)
    {
        var present = SweepDatabase.Query(connection, $"SELECT name FROM pragma_table_info('{table}')", r => r.GetString(0)).ToHashSet();
        var missing = needed.Where(n => !present.Contains(n)).ToList();
        var rows = missing.Count == 0 ? SweepDatabase.Query(connection, sql, r => (Method: r.GetString(0), Params: r.GetDouble(1), Value: r.GetDouble(2))) : [];
        if (rows.Count == 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{title}: no data{(missing.Count > 0 ? $" (table {table} has no column {string.Join(", ", missing)})" : "")}.");
            text.AppendLine();
            return;
        }
        var series = rows.GroupBy(r => r.Method).Select(g => (g.Key, g.Select(r => Math.Log10(r.Params)).ToArray(), g.Select(r => r.Value).ToArray())).ToList();
        CurvePlots.Points(Path.Combine(folder, fileName), title, "log10 proxy parameters", yLabel, series);
        text.AppendLine(CultureInfo.InvariantCulture, $"![{title}]({fileName})");
        text.AppendLine();
    }

}
