using System.CommandLine;
using OverOpt.Experiments.Analysis.Studies;
using OverOpt.Experiments.Sweeps.Execution;
using OverOpt.Experiments.Sweeps.Storage;

namespace OverOpt.Cli.Commands;

internal static partial class SweepCommand
{
    /// <summary><c>overopt sweep merge FILE</c>: every finished task into sweep.db, and sweep-report.md from it.</summary>
    private static Command CreateMerge()
    {
        var arguments = new SweepArguments();
        var command = new Command("merge",
            "Collect every finished task into <output>/sweep.db (SQLite: runs, curve_points, fits, reward_models) and write sweep-report.md from it; " +
            "lists the tasks that are not done with their logs and rerun commands, and then exits 1.");
        arguments.AddTo(command);
        command.SetAction(parse =>
        {
            var (sweep, layout) = arguments.LoadForWriting(parse, cache: false);
            var result = SweepDatabase.Merge(sweep, layout, task => arguments.RerunCommand(parse, task));
            string report = SweepReport.Write(result.DatabasePath, layout.ReportPath);
            Console.WriteLine($"merged {result.Done} of {sweep.Tasks.Count} tasks into {result.DatabasePath} " +
                $"({string.Join(", ", result.RowCounts.Select(kv => $"{kv.Key} {kv.Value}"))} rows); report {report}");
            foreach (var u in result.Unfinished)
            {
                string status = u.Status switch
                {
                    SweepTaskStatus.Failed => "failed",
                    SweepTaskStatus.Running => "is still running",
                    _ => "has not finished (never run, or stopped before it finished)",
                };
                Console.WriteLine($"task {u.Task.Index} ({u.Task.Label}) {status}{(u.LogPath is null ? "" : $"; log: {u.LogPath}")}");
                Console.WriteLine($"  rerun: {u.RerunCommand}");
            }
            return result.Complete ? 0 : 1;
        });
        return command;
    }
}
