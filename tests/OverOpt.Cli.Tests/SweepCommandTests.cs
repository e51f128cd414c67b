using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;
using YamlDotNet.RepresentationModel;

namespace OverOpt.Cli.Tests;

/// <summary>The sweep commands end to end on this machine: plan, a pool of worker processes, failures, resume, merge, scripts.</summary>
[Collection(nameof(CliTests))]
public sealed class SweepCommandTests : IDisposable
{
    private readonly SweepTestFiles _files = new();

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void ALocalRunSkipsDoneTasksLogsFailuresGoesOnAndResumes()
    {
        string sweep = _files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "corpus": [null, "few.txt"], "seed": [1, 2] }""");
        string[] common = ["--output", _files.Output, "--cache", _files.Cache];

        var first = Run(["sweep", "run", sweep, "--workers", "2", .. common]);
        var plan = Run(["sweep", "plan", sweep, .. common]);

        Assert.Equal(1, first.Code);
        Assert.Contains("2 task(s) run now, 0 done before, 2 failed", first.Output);
        Assert.Contains($"rerun: overopt sweep task {sweep} --index 3 --output {_files.Output} --cache {_files.Cache}", first.Output);
        Assert.Contains("2 worker(s) x 1 thread(s) = 2 of", first.Error);
        Assert.Matches(@"\[sweep\] sweep: \d/4 done, [0-2] running, \d failed, [0-2] pending; 0:\d\d elapsed, eta ~\d+:\d\d\n", first.Error);
        Assert.Contains("[sweep] sweep: 2/4 done, 0 running, 2 failed, 0 pending;", first.Error);
        var layout = new SweepLayout(_files.Output);
        var tasks = SweepLoader.Load(sweep).Tasks;
        Assert.True(File.Exists(Path.Combine(layout.TaskDirectory(tasks[1]), "samples.csv")));
        Assert.False(Directory.Exists(layout.PartialDirectory(tasks[1])));
        Assert.Contains("held-out prompts", File.ReadAllText(layout.FailureLog(tasks[2])));
        Assert.Matches(@"\n\s+2  [0-9a-f]{10}  failed   corpus=few\.txt, seed=1\n", plan.Output);
        Assert.Contains("4 tasks: 2 done, 2 failed, 0 running, 0 pending", plan.Output);

        _files.FixCorpus();
        var second = Run(["sweep", "run", sweep, "--workers", "2", .. common]);
        var merged = Run(["sweep", "merge", sweep, .. common]);

        Assert.Equal(0, second.Code);
        Assert.Contains("2 task(s) run now, 2 done before, 0 failed", second.Output);
        Assert.False(File.Exists(layout.FailureLog(tasks[2])));
        Assert.Equal(0, merged.Code);
        Assert.Contains("merged 4 of 4 tasks", merged.Output);
        Assert.True(File.Exists(layout.DatabasePath));
    }

    [Fact]
    public void TheTaskCommandTakesItsIndexFromTheSchedulerOrSaysWhereItLooked()
    {
        string sweep = _files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "seed": [1, 2] }""");
        string[] variables = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];
        var saved = variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        try
        {
            foreach (string v in variables)
            {
                Environment.SetEnvironmentVariable(v, null);
            }
            var none = Run("sweep", "task", sweep, "--output", _files.Output);
            Environment.SetEnvironmentVariable("JOB_COMPLETION_INDEX", "7");
            var kubernetes = Run("sweep", "task", sweep, "--output", _files.Output);
            Environment.SetEnvironmentVariable("SLURM_ARRAY_TASK_ID", "x");
            var slurm = Run("sweep", "task", sweep, "--output", _files.Output);

            Assert.Equal(2, none.Code);
            Assert.Contains("field '--index': no task index", none.Error);
            Assert.Contains("SLURM_ARRAY_TASK_ID", none.Error);
            Assert.Contains("JOB_COMPLETION_INDEX", none.Error);
            Assert.Equal(2, kubernetes.Code);
            Assert.Contains("field 'JOB_COMPLETION_INDEX': task index 7 lies outside the grid, whose tasks are 0 to 1", kubernetes.Error);
            Assert.Equal(2, slurm.Code);
            Assert.Contains("SLURM_ARRAY_TASK_ID = 'x' is not a task index", slurm.Error);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    [Fact]
    public void ARunThatWouldOversubscribeTheCoresIsRefused()
    {
        string sweep = _files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "seed": [1, 2] }""");

        var (code, _, error) = Run("sweep", "run", sweep, "--workers", "1", "--threads", (Environment.ProcessorCount + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "--output", _files.Output);

        Assert.Equal(2, code);
        Assert.Contains($"but this machine has {Environment.ProcessorCount} cores", error);
        Assert.False(Directory.Exists(_files.Output));
    }

    [Fact]
    public void ABadSweepFileStopsEveryCommandWithExitCodeTwo()
    {
        string sweep = _files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "pretraining.step": [1] }""");

        foreach (string verb in new[] { "plan", "run", "task", "merge", "slurm", "k8s", "prepare" })
        {
            var (code, _, error) = Run(verb == "task" ? ["sweep", verb, sweep, "--index", "0"] : ["sweep", verb, sweep]);
            var help = Run("sweep", verb, "--help");

            Assert.Equal(2, code);
            Assert.Contains($"{sweep}: field 'axes[\"pretraining.step\"]'", error);
            Assert.DoesNotContain("   at ", error);
            Assert.Equal(0, help.Code);
            Assert.Contains("Usage:", help.Output);
        }
    }

    [Fact]
    public void TheSlurmScriptSubmitsAPrepareJobTheArrayAfterItAndAMergeAfterTheArray()
    {
        string sweep = _files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "seed": [1, 2, 3, 4] }""");
        string path = Path.Combine(_files.Folder, "submit.sh");

        var (code, output, _) = Run("sweep", "slurm", sweep, "--output", _files.Output, "--cache", _files.Cache, "--partition", "debug", "--time", "1:00:00",
            "--cpus-per-task", "2", "--throttle", "3", "--out", path);

        Assert.Equal(0, code);
        Assert.Contains("(4 tasks)", output);
        string script = File.ReadAllText(path);
        Assert.Contains("common=(--chdir=", script);
        Assert.Contains("--cpus-per-task=2 --partition=debug --time=1:00:00)", script);
        Assert.Contains("--job-name=tiny-sweep-task --array=0-3%3", script);
        Assert.Contains("--dependency=afterok:$prepare --kill-on-invalid-dep=yes", script);
        Assert.Contains("--dependency=afterany:$array --kill-on-invalid-dep=yes", script);
        Assert.Contains($"overopt.dll sweep prepare {sweep} --output {_files.Output} --cache {_files.Cache} --threads 2", script);
        Assert.Contains($"overopt.dll sweep task {sweep} --output {_files.Output} --cache {_files.Cache} --threads 2", script);
        Assert.Contains($"overopt.dll sweep merge {sweep} --output {_files.Output} --cache {_files.Cache}\n", script);
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute));
        var syntax = ExternalProcess.Run("bash", ["-n", path], TimeSpan.FromSeconds(30));
        Assert.True(syntax.Code == 0, syntax.Output);
    }

    [Fact]
    public void TheKubernetesManifestIsAnIndexedJobOnASharedVolume()
    {
        string sweep = _files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "seed": [1, 2, 3] }""");
        string path = Path.Combine(_files.Folder, "job.yaml");

        var (code, _, _) = Run("sweep", "k8s", Path.GetRelativePath(Environment.CurrentDirectory, sweep), "--output", "runs/s", "--cache", "cache",
            "--throttle", "2", "--cpus-per-task", "2", "--image", "registry.example/overopt:1", "--claim", "shared-rwx", "--out", path);

        Assert.Equal(0, code);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(path)));
        var job = (YamlMappingNode)yaml.Documents.Single().RootNode;
        string At(YamlNode node, params string[] keys) => ((YamlScalarNode)keys.Aggregate(node, (n, k) => ((YamlMappingNode)n)[k])).Value!;
        Assert.Equal(("batch/v1", "Job", "tiny-sweep-tasks"), (At(job, "apiVersion"), At(job, "kind"), At(job, "metadata", "name")));
        Assert.Equal(("Indexed", "3", "2"), (At(job, "spec", "completionMode"), At(job, "spec", "completions"), At(job, "spec", "parallelism")));
        var pod = (YamlMappingNode)((YamlMappingNode)job["spec"])["template"]["spec"];
        Assert.Equal("Never", At(pod, "restartPolicy"));
        var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Single();
        Assert.Equal("registry.example/overopt:1", At(container, "image"));
        var command = ((YamlSequenceNode)container["command"]).Select(n => ((YamlScalarNode)n).Value).ToList();
        Assert.Equal(["overopt", "sweep", "task", "/shared/" + Path.GetRelativePath(Environment.CurrentDirectory, sweep).Replace('\\', '/'),
            "--output", "/shared/runs/s", "--cache", "/shared/cache", "--threads", "2"], command);
        Assert.Equal("2", At(container, "resources", "limits", "cpu"));
        var mount = (YamlMappingNode)((YamlSequenceNode)container["volumeMounts"]).Single();
        var volume = (YamlMappingNode)((YamlSequenceNode)pod["volumes"]).Single();
        Assert.Equal((At(mount, "name"), "/shared"), (At(volume, "name"), At(mount, "mountPath")));
        Assert.Equal("shared-rwx", At(volume, "persistentVolumeClaim", "claimName"));
    }

    public void Dispose() => _files.Dispose();
}
