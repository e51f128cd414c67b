using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using OverOpt.Experiments.Sweeps.Schedulers;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Cli.Commands;

internal static partial class SweepCommand
{
    /// <summary><c>overopt sweep run FILE [--workers K] [--threads T]</c>: the unfinished tasks on this machine.</summary>
    private static Command CreateRun()
    {
        var arguments = new SweepArguments();
        var workers = new Option<int>("--workers") { Description = "Tasks at once, each in its own process.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads per task (0: the cores shared out among the workers). Workers x threads must fit the cores.", DefaultValueFactory = _ => 0 };
        var device = CommonOptions.Device();
        var command = new Command("run", "Run a sweep's unfinished tasks on this machine with a pool of worker processes; resumable (done tasks are skipped); exits 1 if any task failed.");
        arguments.AddTo(command);
        command.Options.Add(workers);
        command.Options.Add(threads);
        command.Options.Add(device);
        command.SetAction(parse =>
        {
            var (sweep, layout) = arguments.LoadForWriting(parse, cache: true);
            int workerCount = parse.GetValue(workers);
            int threadCount = CheckCores(workerCount, parse.GetValue(threads));
            Say($"sweep {sweep.Name}: {sweep.Tasks.Count} tasks into {layout.Root}; {workerCount} worker(s) x {threadCount} thread(s) = {workerCount * threadCount} of {Environment.ProcessorCount} cores");
            var invocation = SelfInvocation.Command();
            string cache = Path.GetFullPath(parse.GetValue(arguments.Cache)!);
            string deviceName = parse.GetValue(device)!;
            var scheduler = new LocalSweepScheduler(layout, new LocalSweepOptions
            {
                Workers = workerCount,
                Report = line => Console.Error.WriteLine($"[sweep] {line}"),
                StartWorker = task =>
                {
                    var start = new ProcessStartInfo(invocation[0]);
                    foreach (string word in invocation.Skip(1).Concat(["sweep", "task", sweep.File, "--index", task.Index.ToString(CultureInfo.InvariantCulture),
                        "--output", layout.Root, "--cache", cache, "--threads", threadCount.ToString(CultureInfo.InvariantCulture), "--device", deviceName]))
                    {
                        start.ArgumentList.Add(word);
                    }
                    return start;
                },
            });
            var result = scheduler.Run(sweep);
            Console.WriteLine($"sweep {sweep.Name}: {result.Completed} task(s) run now, {result.AlreadyDone} done before, {result.Failures.Count} failed" +
                (result.RunningElsewhere.Count > 0 ? $", {result.RunningElsewhere.Count} left to another process" : "") + $"; results in {layout.TasksDirectory}");
            foreach (var (task, log) in result.Failures)
            {
                Console.WriteLine($"  task {task.Index} ({task.Label}) failed: log {log}");
                Console.WriteLine($"    rerun: {arguments.RerunCommand(parse, task)}");
            }
            return result.Failures.Count > 0 ? 1 : 0;
        });
        return command;
    }

    /// <summary>The threads per task: as asked, or the cores shared out; refuses a pool that does not fit the cores.</summary>
    private static int CheckCores(int workers, int threads)
    {
        int cores = Environment.ProcessorCount;
        if (workers < 1)
        {
            throw new OverOptConfigurationException($"--workers = {workers}; a pool has at least one worker.", "--workers", "use --workers 1 or more.");
        }
        int perTask = threads > 0 ? threads : Math.Max(1, cores / workers);
        if (threads < 0 || workers * perTask > cores)
        {
            throw new OverOptConfigurationException(
                $"--workers {workers} x --threads {perTask} = {workers * perTask} threads, but this machine has {cores} cores: the tasks would slow each other down.",
                threads > 0 ? "--threads" : "--workers",
                $"use at most {cores} workers x threads in all, e.g. --workers {Math.Min(workers, cores)} --threads {Math.Max(1, cores / Math.Min(workers, cores))}.");
        }
        return perTask;
    }
}
