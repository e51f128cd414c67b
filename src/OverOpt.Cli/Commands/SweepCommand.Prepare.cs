using System.CommandLine;
using System.Globalization;
using OverOpt.Experiments.Sweeps.Execution;

namespace OverOpt.Cli.Commands;

internal static partial class SweepCommand
{
    /// <summary><c>overopt sweep prepare FILE</c>: builds what groups of tasks share (policies, gold) once.</summary>
    private static Command CreatePrepare()
    {
        var arguments = new SweepArguments();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var command = new Command("prepare",
            "Build what the tasks share into the artifact cache, once: for each group of tasks whose pipelines differ only in proxies, comparisons, best-of-n or PPO, " +
            "its policies, gold and the language models its transformer proxies start from (one a shape). Optional (tasks that need the same artifact build it once under a lock); the Slurm script runs it before the array. " +
            "A group that fails is reported and the others go on (exit 0): its tasks fail with the same error and the merge lists them.");
        arguments.AddTo(command);
        command.Options.Add(device);
        command.Options.Add(threads);
        command.SetAction(parse =>
        {
            var (sweep, layout) = arguments.Load(parse);
            var options = new SweepTaskRunOptions
            {
                CacheDirectory = parse.GetValue(arguments.Cache)!,
                Device = CommonOptions.Prepare(parse, device, threads),
                Progress = new ConsoleProgress(),
                Log = Say,
            };
            var outcomes = new SweepPreparation(layout, options).Run(sweep);
            foreach (var o in outcomes)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"group {o.Group.ShortHash} (tasks {string.Join(",", o.Group.Tasks.Select(t => t.Index))}): {(o.Error is null ? "prepared" : "FAILED: " + o.Error)} in {o.WallSeconds:F1} s"));
            }
            return 0;
        });
        return command;
    }
}
