using System.CommandLine;
using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;
using OverOpt.Experiments.Sweeps.Schedulers;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Cli.Commands;

/// <summary>
/// <c>overopt sweep plan|run|task|prepare|merge|slurm|k8s FILE</c>: a grid of pipelines (a sweep file) on this machine,
/// as a Slurm job array or as a Kubernetes Indexed Job, merged into one SQLite database.
/// </summary>
internal static partial class SweepCommand
{
    public static Command Create()
    {
        var command = new Command("sweep", "Run a sweep (a base pipeline and axes of overrides whose product is a grid of tasks) here or on a scheduler, and merge its results into SQLite.");
        command.Subcommands.Add(CreatePlan());
        command.Subcommands.Add(CreateRun());
        command.Subcommands.Add(CreateTask());
        command.Subcommands.Add(CreatePrepare());
        command.Subcommands.Add(CreateMerge());
        command.Subcommands.Add(CreateSlurm());
        command.Subcommands.Add(CreateKubernetes());
        return command;
    }

    /// <summary>The sweep file argument and the options every sweep command shares.</summary>
    private sealed class SweepArguments
    {
        public Argument<string> File { get; } = new("file") { Description = "Sweep file (JSON): { \"base\": \"quick.json\", \"axes\": { \"seed\": [1, 2, 3] } }." };

        public Option<string?> Output { get; } = new("--output") { Description = "The sweep's output folder (default: runs/<sweep name>)." };

        public Option<string> Cache { get; } = CommonOptions.Cache();

        public void AddTo(Command command)
        {
            command.Arguments.Add(File);
            command.Options.Add(Output);
            command.Options.Add(Cache);
        }

        public (SweepDefinition Sweep, SweepLayout Layout) Load(ParseResult parse)
        {
            var sweep = SweepLoader.Load(parse.GetValue(File)!);
            return (sweep, SweepLayout.For(sweep, parse.GetValue(Output)));
        }

        /// <summary>Loads the sweep and checks, before any work, that its output folder (and with <paramref name="cache"/> the cache) can be written.</summary>
        public (SweepDefinition Sweep, SweepLayout Layout) LoadForWriting(ParseResult parse, bool cache)
        {
            var (sweep, layout) = Load(parse);
            FileSystemProblem.RequireWritableFolder(layout.Root, "--output");
            if (cache)
            {
                FileSystemProblem.RequireWritableFolder(parse.GetValue(Cache)!, "--cache");
            }
            return (sweep, layout);
        }

        /// <summary>
        /// The command that reruns one task as the person typed this one: the sweep file as given, and --output and
        /// --cache where they were given.
        /// </summary>
        public string RerunCommand(ParseResult parse, SweepTask task)
        {
            var words = new List<string> { "overopt", "sweep", "task", parse.GetValue(File)!, "--index", task.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (parse.GetValue(Output) is { } output)
            {
                words.AddRange(["--output", output]);
            }
            if (parse.GetResult(Cache) is { Implicit: false })
            {
                words.AddRange(["--cache", parse.GetValue(Cache)!]);
            }
            return ShellWords.Join(words);
        }
    }

    private static void Say(string line) => Console.Error.WriteLine($"overopt: {line}");
}
