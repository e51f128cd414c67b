using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OverOpt.Experiments.Sweeps.Storage;
using Xunit.Abstractions;

namespace OverOpt.Cli.Tests;

/// <summary>
/// The sweep engine under a real scheduler: Debian's slurmctld and slurmd on this machine (scripts/slurm-test-cluster.sh),
/// a tiny sweep submitted through the script 'overopt sweep slurm' writes, one task failing on purpose. It proves the
/// scheduler contract (array index, throttle, exit codes, afterok/afterany dependencies), not several nodes or a shared
/// file system. Skipped, with the reason, where the packages cannot be installed (not root, no apt-get); the suite's
/// slowest test (about a minute).
/// </summary>
[Collection(nameof(CliTests))]
public sealed partial class SlurmClusterTests : IDisposable
{
    private static readonly TimeSpan JobsTimeout = TimeSpan.FromMinutes(4);
    private readonly SweepTestFiles _files = new("overopt-slurm-");
    private readonly ITestOutputHelper _output;

    public SlurmClusterTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [SkippableFact]
    public void ASweepRunsAsASlurmArrayTheMergeFollowsAndItsFailedTaskIsReportedAndRerun()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the Slurm test cluster is Debian's Slurm packages: Linux only.");
        Skip.If(Environment.UserName != "root", $"the Slurm test needs root to install Debian's Slurm packages and run its daemons; running as '{Environment.UserName}'.");
        Skip.If(!OnPath("apt-get") && !OnPath("slurmctld"), "the Slurm test installs Debian's Slurm packages with apt-get, which this machine does not have.");

        string script = Repository.File("scripts/slurm-test-cluster.sh");
        string cluster = Path.Combine(_files.Folder, "cluster");
        var clock = Stopwatch.StartNew();
        var started = ExternalProcess.Run("bash", [script, "start", cluster], TimeSpan.FromMinutes(5));
        Assert.True(started.Code == 0, $"the Slurm test cluster did not start:\n{started.Output}");
        double startSeconds = clock.Elapsed.TotalSeconds;
        try
        {
            var slurm = new Dictionary<string, string> { ["SLURM_CONF"] = Path.Combine(cluster, "slurm.conf") };
            // Tasks 0 and 1 read the bundled corpus (as a file for task 1); task 2 reads few.txt, too short: it fails after pretraining.
            File.WriteAllLines(Path.Combine(_files.Folder, "copy.txt"), OverOpt.MLNet.Text.TextCorpus.Bundled().Stories);
            string sweep = _files.WriteSweep(SweepTestFiles.RewardPipeline, """{ "corpus": [null, "copy.txt", "few.txt"] }""");
            string[] paths = ["--output", _files.Output, "--cache", _files.Cache];
            string submit = Path.Combine(_files.Folder, "submit.sh");
            var written = CliRunner.Run(["sweep", "slurm", sweep, .. paths, "--throttle", "2", "--cpus-per-task", "1", "--partition", "debug", "--time", "10:00", "--out", submit]);
            Assert.Equal(0, written.Code);

            var submitted = ExternalProcess.Run("bash", [submit, "--wait"], JobsTimeout, slurm);
            double jobsSeconds = clock.Elapsed.TotalSeconds - startSeconds;

            // The merge exits 1 because a task failed; sbatch --wait returns the merge's status.
            Assert.True(submitted.Code == 1, $"expected the merge's exit code 1 (a task failed), got {submitted.Code}:\n{submitted.Output}");
            var ids = JobIds().Match(submitted.Output);
            Assert.True(ids.Success, submitted.Output);
            var elements = ArrayElements(ids.Groups["array"].Value, slurm);
            Assert.Equal(["COMPLETED", "COMPLETED", "FAILED"], elements.OrderBy(e => e.Index).Select(e => e.State));
            var merge = Job(ids.Groups["merge"].Value, slurm);
            Assert.True(merge.Start >= elements.Max(e => e.End), $"the merge started at {merge.Start:T}, before the last task ended at {elements.Max(e => e.End):T}");
            Assert.True(Job(ids.Groups["prepare"].Value, slurm).End <= elements.Min(e => e.Start), "a task started before the prepare job had ended");

            string mergeLog = File.ReadAllText(Path.Combine(_files.Output, "logs", $"merge-{ids.Groups["merge"].Value}.out"));
            Assert.Contains("merged 2 of 3 tasks", mergeLog);
            string failureLog = Regex.Match(mergeLog, @"task 2 \(corpus=few\.txt\) failed; log: (?<log>\S+)").Groups["log"].Value;
            Assert.Contains("held-out prompts", File.ReadAllText(failureLog));
            string rerun = Regex.Match(mergeLog, @"rerun: (?<command>.+)").Groups["command"].Value.Trim();
            Assert.Equal($"overopt sweep task {sweep} --index 2 --output {_files.Output} --cache {_files.Cache}", rerun);
            Assert.Equal(("failed", rerun), SweepDatabase.Query(Path.Combine(_files.Output, "sweep.db"), "SELECT status, rerun_command FROM runs WHERE task_index = 2", r => (r.GetString(0), r.GetString(1))).Single());

            // Remove the cause, rerun exactly the command the merge printed, and merge again.
            _files.FixCorpus();
            var rerunResult = CliRunner.Run(rerun.Split(' ')[1..]);
            var remerged = CliRunner.Run(["sweep", "merge", sweep, .. paths]);

            Assert.True(rerunResult.Code == 0, rerunResult.Error);
            Assert.True(remerged.Code == 0, remerged.Output + remerged.Error);
            string db = Path.Combine(_files.Output, "sweep.db");
            Assert.Equal(["0 done", "1 done", "2 done"], SweepDatabase.Query(db, "SELECT task_index || ' ' || status FROM runs ORDER BY task_index", r => r.GetString(0)));
            Assert.Equal([0L, 1L, 2L], SweepDatabase.Query(db, "SELECT DISTINCT task_index FROM curve_points ORDER BY task_index", r => r.GetInt64(0)));
            Assert.Equal(3, SweepDatabase.Query(db, "SELECT COUNT(*) FROM fits WHERE method = 'bon' AND beta IS NOT NULL", r => r.GetInt32(0)).Single());
            Assert.Equal(6, SweepDatabase.Query(db, "SELECT COUNT(*) FROM reward_models", r => r.GetInt32(0)).Single());
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Slurm test: cluster up in {startSeconds:F0} s, prepare + 3-task array + merge in {jobsSeconds:F0} s, {clock.Elapsed.TotalSeconds:F0} s in all"));
        }
        finally
        {
            var stopped = ExternalProcess.Run("bash", [script, "stop", cluster], TimeSpan.FromMinutes(1));
            Assert.True(stopped.Code == 0, stopped.Output);
        }
    }

    public void Dispose() => _files.Dispose();

    private static bool OnPath(string program)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"]).Any(folder => File.Exists(Path.Combine(folder, program)));

    /// <summary>Every element of an array job, from 'scontrol show job' (finished jobs are kept for MinJobAge, 300 s).</summary>
    private static List<(int Index, string State, DateTime Start, DateTime End)> ArrayElements(string arrayId, IReadOnlyDictionary<string, string> slurm)
    {
        var shown = ExternalProcess.Run("scontrol", ["show", "job", arrayId], TimeSpan.FromSeconds(30), slurm);
        Assert.True(shown.Code == 0, shown.Output);
        return Regex.Split(shown.Output, @"^(?=JobId=)", RegexOptions.Multiline).Where(record => record.StartsWith("JobId=", StringComparison.Ordinal))
            .Select(record => (Index: int.Parse(Field(record, "ArrayTaskId"), CultureInfo.InvariantCulture), State: Field(record, "JobState"),
                Start: Time(Field(record, "StartTime")), End: Time(Field(record, "EndTime"))))
            .ToList();
    }

    private static (string State, DateTime Start, DateTime End) Job(string id, IReadOnlyDictionary<string, string> slurm)
    {
        var shown = ExternalProcess.Run("scontrol", ["show", "job", id], TimeSpan.FromSeconds(30), slurm);
        Assert.True(shown.Code == 0, shown.Output);
        return (Field(shown.Output, "JobState"), Time(Field(shown.Output, "StartTime")), Time(Field(shown.Output, "EndTime")));
    }

    private static string Field(string record, string name) => Regex.Match(record, $@"\b{name}=(\S+)").Groups[1].Value;

    private static DateTime Time(string text) => DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"jobs: prepare=(?<prepare>\d+) array=(?<array>\d+) merge=(?<merge>\d+)")]
    private static partial Regex JobIds();
}
