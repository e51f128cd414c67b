using System.CommandLine;
using OverOpt.Experiments.Sweeps.Schedulers;
using OverOpt.MLNet.Artifacts;

namespace OverOpt.Cli.Commands;

internal static partial class SweepCommand
{
    /// <summary>Options of the commands that write a scheduler's files.</summary>
    private sealed class JobArguments
    {
        public Option<int> CpusPerTask { get; } = new("--cpus-per-task") { Description = "CPUs (and libtorch threads) per task.", DefaultValueFactory = _ => 1 };

        public Option<int> Throttle { get; } = new("--throttle") { Description = "Tasks running at once.", DefaultValueFactory = _ => 8 };

        public Option<string?> Overopt { get; } = new("--overopt")
        {
            Description = "How the jobs call overopt, words separated by spaces (default: for Slurm this installation, 'dotnet <path>/overopt.dll'; for Kubernetes 'overopt').",
        };

        public Option<string?> Out { get; } = new("--out") { Description = "The file to write (default: standard output)." };

        public void AddTo(Command command)
        {
            command.Options.Add(CpusPerTask);
            command.Options.Add(Throttle);
            command.Options.Add(Overopt);
            command.Options.Add(Out);
        }

        public SweepJobOptions Job(ParseResult parse, IReadOnlyList<string>? overopt, string sweepFile, string outputDirectory, string cache)
        {
            foreach (var option in new[] { CpusPerTask, Throttle })
            {
                if (parse.GetValue(option) < 1)
                {
                    throw new MLNet.Runtime.OverOptConfigurationException($"{option.Name} = {parse.GetValue(option)}.", option.Name, "use 1 or more.");
                }
            }
            return new SweepJobOptions
            {
                Overopt = parse.GetValue(Overopt) is { } command ? command.Split(' ', StringSplitOptions.RemoveEmptyEntries) : overopt ?? SelfInvocation.Command(),
                SweepFile = sweepFile,
                OutputDirectory = outputDirectory,
                CacheDirectory = cache,
                CpusPerTask = parse.GetValue(CpusPerTask),
                Throttle = parse.GetValue(Throttle),
            };
        }

        /// <summary>Writes the text to --out (atomically, executable for scripts) or to standard output.</summary>
        public void Write(ParseResult parse, string text, bool executable, string what)
        {
            if (parse.GetValue(Out) is not { } path)
            {
                Console.Write(text);
                return;
            }
            AtomicFile.WriteAllText(path, text);
            if (executable && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
            Console.WriteLine($"wrote {what} to {path}");
        }
    }

    /// <summary><c>overopt sweep slurm FILE</c>: an sbatch driver script (prepare, array, merge).</summary>
    private static Command CreateSlurm()
    {
        var arguments = new SweepArguments();
        var jobs = new JobArguments();
        var partition = new Option<string?>("--partition") { Description = "Slurm partition (default: the cluster's default)." };
        var time = new Option<string?>("--time") { Description = "Time limit of each job, in Slurm's format (e.g. 2:00:00; default: the partition's)." };
        var command = new Command("slurm",
            "Write an sbatch driver script: a prepare job (policies and gold once), the task array --array=0-(N-1)%K after it (afterok), " +
            "and a merge job after the array (afterany). Run it with bash (add --wait to wait for the merge).");
        arguments.AddTo(command);
        jobs.AddTo(command);
        command.Options.Add(partition);
        command.Options.Add(time);
        command.SetAction(parse =>
        {
            var (sweep, layout) = arguments.Load(parse);
            var job = jobs.Job(parse, null, sweep.File, layout.Root, Path.GetFullPath(parse.GetValue(arguments.Cache)!));
            string script = SlurmScript.Write(sweep, job, parse.GetValue(partition), parse.GetValue(time), Environment.CurrentDirectory);
            jobs.Write(parse, script, executable: true, $"the Slurm script of sweep {sweep.Name} ({sweep.Tasks.Count} tasks)");
            return 0;
        });
        return command;
    }

    /// <summary><c>overopt sweep k8s FILE</c>: a Kubernetes Indexed Job manifest.</summary>
    private static Command CreateKubernetes()
    {
        var arguments = new SweepArguments();
        var jobs = new JobArguments();
        var image = new Option<string>("--image") { Description = "Container image with overopt on its PATH (or give --overopt).", DefaultValueFactory = _ => "overopt:latest" };
        var claim = new Option<string>("--claim") { Description = "PersistentVolumeClaim (ReadWriteMany) of the shared volume.", DefaultValueFactory = _ => "overopt-shared" };
        var mount = new Option<string>("--mount") { Description = "Where the shared volume is mounted; the sweep file, --output and --cache are taken relative to it.", DefaultValueFactory = _ => "/shared" };
        var command = new Command("k8s",
            "Write a Kubernetes Indexed Job manifest (completionMode Indexed, completions N, parallelism --throttle) whose pods run 'overopt sweep task' " +
            "on a shared volume; run 'sweep prepare' before and 'sweep merge' after.");
        arguments.AddTo(command);
        jobs.AddTo(command);
        command.Options.Add(image);
        command.Options.Add(claim);
        command.Options.Add(mount);
        command.SetAction(parse =>
        {
            var (sweep, _) = arguments.Load(parse);
            // Inside the pods, paths are on the shared volume, relative to where it is mounted.
            string mountPath = parse.GetValue(mount)!;
            string OnVolume(string path) => Path.IsPathRooted(path) ? path : $"{mountPath.TrimEnd('/')}/{path.Replace('\\', '/')}";
            var job = jobs.Job(parse, ["overopt"], OnVolume(parse.GetValue(arguments.File)!), OnVolume(parse.GetValue(arguments.Output) ?? $"runs/{sweep.Name}"),
                OnVolume(parse.GetValue(arguments.Cache)!));
            string manifest = KubernetesIndexedJob.Write(sweep, job, parse.GetValue(image)!, parse.GetValue(claim)!, mountPath);
            jobs.Write(parse, manifest, executable: false, $"the Indexed Job of sweep {sweep.Name} ({sweep.Tasks.Count} tasks)");
            return 0;
        });
        return command;
    }
}
