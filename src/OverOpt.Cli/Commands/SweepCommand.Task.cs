using System.CommandLine;
using System.Globalization;
using OverOpt.Experiments.Sweeps.Execution;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Cli.Commands;

internal static partial class SweepCommand
{
    /// <summary>The scheduler variables that carry an array element's index, in the order they are read.</summary>
    private static readonly string[] IndexVariables = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];

    /// <summary><c>overopt sweep task FILE [--index I]</c>: one task, by index or from the scheduler's environment.</summary>
    private static Command CreateTask()
    {
        var arguments = new SweepArguments();
        var index = new Option<int?>("--index") { Description = "The task's index (see 'sweep plan'). Without it: $SLURM_ARRAY_TASK_ID, else $JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs)." };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var command = new Command("task", "Run one task of a sweep into <output>/tasks/<index>-<hash>/ (skipped when done; a failure is logged to tasks/<index>-<hash>.log and exits 1).");
        arguments.AddTo(command);
        command.Options.Add(index);
        command.Options.Add(device);
        command.Options.Add(threads);
        command.SetAction(parse =>
        {
            var (sweep, layout) = arguments.LoadForWriting(parse, cache: true);
            var (taskIndex, source) = ResolveIndex(parse.GetValue(index));
            var task = sweep.Task(taskIndex, source);
            var options = new SweepTaskRunOptions
            {
                CacheDirectory = parse.GetValue(arguments.Cache)!,
                Device = CommonOptions.Prepare(parse, device, threads),
                Progress = new ConsoleProgress(),
                Log = Say,
            };
            Say($"{task} of sweep {sweep.Name} ({source}), into {layout.TaskDirectory(task)}");
            var outcome = new SweepTaskRunner(layout, options).Run(task);
            switch (outcome.Result)
            {
                case SweepTaskResult.AlreadyDone:
                    Console.WriteLine($"task {task.Index} was done already: {outcome.Output}");
                    return 0;
                case SweepTaskResult.Completed:
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"task {task.Index} done in {outcome.WallSeconds:F1} s: {outcome.Output}"));
                    return 0;
                case SweepTaskResult.RunningElsewhere:
                    Console.Error.WriteLine($"overopt: task {task.Index} is running in another process; not started here: {outcome.Error}");
                    return SweepTaskRunner.RunningElsewhereExitCode;
                default:
                    Console.Error.WriteLine($"overopt: task {task.Index} FAILED: {outcome.Error}");
                    Console.Error.WriteLine($"overopt: log: {outcome.Output}");
                    return 1;
            }
        });
        return command;
    }

    /// <summary>The index from --index, else from the first scheduler variable set, with where it came from.</summary>
    private static (int Index, string Source) ResolveIndex(int? option)
    {
        if (option is { } given)
        {
            return (given, "--index");
        }
        foreach (string variable in IndexVariables)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text)
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
                {
                    throw new OverOptConfigurationException($"{variable} = '{text}' is not a task index.", variable, "run inside a job array, which sets it to 0, 1, ..., or pass --index I.");
                }
                return (value, variable);
            }
        }
        throw new OverOptConfigurationException(
            $"no task index: --index is not given and neither {string.Join(" (Slurm job arrays) nor ", IndexVariables)} (Kubernetes Indexed Jobs) is set.",
            "--index", "pass --index I (0 to N-1; 'overopt sweep plan FILE' lists them), or run this command as an element of a Slurm array or an Indexed Job.");
    }
}
