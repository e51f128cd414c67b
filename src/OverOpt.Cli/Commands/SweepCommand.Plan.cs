using System.CommandLine;
using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;

namespace OverOpt.Cli.Commands;

internal static partial class SweepCommand
{
    /// <summary><c>overopt sweep plan FILE</c>: the grid, each task's status, and the counts.</summary>
    private static Command CreatePlan()
    {
        var arguments = new SweepArguments();
        var command = new Command("plan", "List the grid of a sweep file: every task's index, hash, what it varies and whether it is done, failed, running or pending.");
        arguments.AddTo(command);
        command.SetAction(parse =>
        {
            var (sweep, layout) = arguments.Load(parse);
            if (sweep.Parts.Count == 0)
            {
                Console.WriteLine($"sweep {sweep.Name}: base {Path.GetRelativePath(Environment.CurrentDirectory, sweep.BaseFile)}, " +
                    $"axes {string.Join(" x ", sweep.Axes.Select(a => $"{a.Path.Text} ({a.Values.Count})"))}, output {Path.GetRelativePath(Environment.CurrentDirectory, layout.Root)}");
            }
            else
            {
                // A sweep of sweeps: each part's grid, and how many of its tasks are not already another part's.
                Console.WriteLine($"sweep {sweep.Name}: {sweep.Parts.Count} sweeps, output {Path.GetRelativePath(Environment.CurrentDirectory, layout.Root)}");
                foreach (var part in sweep.Parts)
                {
                    int own = sweep.Tasks.Count(t => t.Part == part.Name);
                    Console.WriteLine($"  {part.Name}: base {Path.GetRelativePath(Environment.CurrentDirectory, part.BaseFile)}, " +
                        $"axes {string.Join(" x ", part.Axes.Select(a => $"{a.Path.Text} ({a.Values.Count})"))}: {part.Tasks.Count} tasks" +
                        (own < part.Tasks.Count ? $", {part.Tasks.Count - own} of them an earlier sweep's" : ""));
                }
            }
            int width = Math.Max(5, sweep.Tasks.Count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
            Console.WriteLine($"{"index".PadLeft(width)}  {"hash".PadRight(SweepTask.ShortHashLength)}  {"status",-7}  varies");
            var statuses = sweep.Tasks.Select(layout.StatusOf).ToList();
            foreach (var (task, status) in sweep.Tasks.Zip(statuses))
            {
                Console.WriteLine($"{task.Index.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width)}  {task.ShortHash}  {status.ToString().ToLowerInvariant(),-7}  {task.Label}");
            }
            Console.WriteLine($"{sweep.Tasks.Count} tasks: {string.Join(", ", Enum.GetValues<SweepTaskStatus>().Reverse().Select(s => $"{statuses.Count(x => x == s)} {s.ToString().ToLowerInvariant()}"))}");
            return 0;
        });
        return command;
    }
}
