using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;

namespace OverOpt.Cli.Tests;

/// <summary>
/// Faults a person meets, injected on tiny pipelines: kill -9 of a sweep and of one worker, two runs on one cache,
/// damaged checkpoints, folders that cannot be written or fill up, Ctrl-C. Each asserts that nothing finished is lost,
/// nothing runs twice, and a message names the path and the fix. (Bit flips in cached artifacts: ArtifactDamageTests.)
/// </summary>
[Collection(nameof(CliTests))]
public sealed class FaultInjectionTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    // Pretraining long enough (a second or two) that a test can reach a task while it runs.
    private static readonly string SlowPolicyPipeline = TestPipelines.Edit(TestPipelines.PolicyOnly, root => root["pretraining"]!["steps"] = 150);

    private readonly SweepTestFiles _files = new("overopt-faults-");

    [Fact]
    public void ASweepKilledWithKill9LosesNoFinishedTaskAndARerunRunsOnlyTheRest()
    {
        string sweep = _files.WriteSweep(SlowPolicyPipeline, """{ "seed": [1, 2, 3] }""");
        var tasks = SweepLoader.Load(sweep).Tasks;
        var layout = new SweepLayout(_files.Output);
        using (var run = CliProcess.Start("sweep", "run", sweep, "--workers", "1", "--output", _files.Output, "--cache", _files.Cache))
        {
            Until(() => File.Exists(layout.DoneMarker(tasks[0])) && Directory.Exists(layout.PartialDirectory(tasks[1])), run);
            run.KillTree();
        }
        var doneBefore = tasks.Where(t => File.Exists(layout.DoneMarker(t))).ToList();
        string firstSamples = File.ReadAllText(Path.Combine(layout.TaskDirectory(tasks[0]), "samples.csv"));

        // Who still holds a task's lock after the kill: shown only if the rerun does not run the rest.
        string holders = string.Join("; ", tasks.Select(t => $"task {t.Index}: {CliProcess.Holders(layout.LockFile(t))}"));
        var rerun = CliRunner.Run("sweep", "run", sweep, "--workers", "1", "--output", _files.Output, "--cache", _files.Cache);
        var merged = CliRunner.Run("sweep", "merge", sweep, "--output", _files.Output, "--cache", _files.Cache);

        Assert.True(rerun.Code == 0, rerun.Output + rerun.Error);
        Assert.True(rerun.Output.Contains($"{3 - doneBefore.Count} task(s) run now, {doneBefore.Count} done before, 0 failed", StringComparison.Ordinal), rerun.Output + rerun.Error + "\nlock holders before the rerun: " + holders);
        Assert.Equal(firstSamples, File.ReadAllText(Path.Combine(layout.TaskDirectory(tasks[0]), "samples.csv")));
        Assert.Equal(0, merged.Code);
        Assert.Contains("merged 3 of 3 tasks", merged.Output);
        // Each task once in the database, and each task's policy row once.
        Assert.Equal(3, Count(layout.DatabasePath, "SELECT COUNT(*) FROM runs"));
        Assert.Equal(3, Count(layout.DatabasePath, "SELECT COUNT(DISTINCT task_index) FROM policies"));
        Assert.Equal(3, Count(layout.DatabasePath, "SELECT COUNT(*) FROM policies"));
    }

    [Fact]
    public void AWorkerKilledWithKill9IsReportedWithItsLastLinesAndOnlyItsTaskRunsAgain()
    {
        string sweep = _files.WriteSweep(SlowPolicyPipeline, """{ "seed": [1, 2, 3] }""");
        var tasks = SweepLoader.Load(sweep).Tasks;
        var layout = new SweepLayout(_files.Output);
        using var run = CliProcess.Start("sweep", "run", sweep, "--workers", "1", "--output", _files.Output, "--cache", _files.Cache);
        Until(() => Directory.Exists(layout.PartialDirectory(tasks[1])) && run.Children().Count == 1, run);
        CliProcess.Kill9(run.Children().Single());
        Assert.True(run.WaitForExit(Patience), run.Output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("2 task(s) run now, 0 done before, 1 failed", run.Output);
        Assert.Contains($"task 1 FAILED (exit code 137); log: {layout.FailureLog(tasks[1])}", run.Output);
        Assert.Contains("without a log of its own; its last output:", File.ReadAllText(layout.FailureLog(tasks[1])));
        Assert.Contains($"rerun: overopt sweep task {sweep} --index 1", run.Output);

        var rerun = CliRunner.Run("sweep", "run", sweep, "--workers", "1", "--output", _files.Output, "--cache", _files.Cache);

        Assert.Equal(0, rerun.Code);
        Assert.Contains("1 task(s) run now, 2 done before, 0 failed", rerun.Output);
        Assert.False(File.Exists(layout.FailureLog(tasks[1])));
    }

    [Fact]
    public void TwoRunsOnOneCacheBuildEachArtifactOnceAndAgree()
    {
        string pipeline = Path.Combine(_files.Folder, "tiny.json");
        File.WriteAllText(pipeline, TestPipelines.Tiny);
        using var first = CliProcess.Start("run", pipeline, "--output", Path.Combine(_files.Folder, "first"), "--cache", _files.Cache, "--threads", "1");
        using var second = CliProcess.Start("run", pipeline, "--output", Path.Combine(_files.Folder, "second"), "--cache", _files.Cache, "--threads", "1");
        Assert.True(first.WaitForExit(Patience) && second.WaitForExit(Patience), first.Output + second.Output);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        foreach (string file in new[] { "curves.csv", "fits.csv", "comparisons.csv" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(_files.Folder, "first", file)), File.ReadAllText(Path.Combine(_files.Folder, "second", file)));
        }
        // Each artifact built once: whichever came second waited for the first and loaded what it built.
        var saved = (first.Output + second.Output).Split('\n').Where(l => l.StartsWith("overopt: saved ", StringComparison.Ordinal))
            .Select(l => l["overopt: saved ".Length..].Trim()).ToList();
        Assert.Equal(saved.Distinct().Count(), saved.Count);
        Assert.Equal(saved.Order(), Directory.GetFiles(_files.Cache, "*.zip", SearchOption.AllDirectories).Order());
        Assert.Contains("reusing", first.Output + second.Output);
    }

    [Fact]
    public void ADamagedPpoCheckpointIsDiscardedWithItsPathAndTheRunStartsAgainToTheSameNumbers()
    {
        string pipeline = Path.Combine(_files.Folder, "tiny.json");
        File.WriteAllText(pipeline, TestPipelines.Tiny);
        string output = Path.Combine(_files.Folder, "out");
        var first = CliRunner.Run("run", pipeline, "--output", output, "--cache", _files.Cache);
        string curves = File.ReadAllText(Path.Combine(output, "curves.csv"));
        var checkpoints = Directory.GetFiles(Path.Combine(output, "checkpoints"), "*.checkpoint.zip", SearchOption.AllDirectories).Order().ToArray();
        Assert.Equal(2, checkpoints.Length);
        var truncated = File.ReadAllBytes(checkpoints[0]);
        File.WriteAllBytes(checkpoints[0], truncated[..(truncated.Length / 2)]);
        // 256 zero bytes mid-file land in compressed data (a single flip may hit a header field nothing reads).
        var zeroed = File.ReadAllBytes(checkpoints[1]);
        Array.Clear(zeroed, zeroed.Length / 2, 256);
        File.WriteAllBytes(checkpoints[1], zeroed);

        var second = CliRunner.Run("run", pipeline, "--output", output, "--cache", _files.Cache);

        Assert.Equal((0, 0), (first.Code, second.Code));
        foreach (string checkpoint in checkpoints)
        {
            Assert.Contains($"{checkpoint}: unreadable checkpoint", second.Error);
        }
        Assert.Contains("discarded, the run starts again from step 0", second.Error);
        Assert.Equal(curves, File.ReadAllText(Path.Combine(output, "curves.csv")));
    }

    [Fact]
    public void AnOutputThatCannotBeWrittenStopsTheRunBeforeAnyWorkWithThePathAndTheFix()
    {
        string pipeline = Path.Combine(_files.Folder, "tiny.json");
        File.WriteAllText(pipeline, TestPipelines.Tiny);
        string aFile = Path.Combine(_files.Folder, "a-file");
        File.WriteAllText(aFile, "");
        using var readOnly = TroubledFolder.ReadOnly(_files.Folder);
        var outputs = new List<string> { Path.Combine(aFile, "out") };
        if (Directory.Exists("/proc/self"))
        {
            // A file system that refuses new folders with "not found" (ENOENT), not "permission denied".
            outputs.Add("/proc/overopt-output");
        }
        if (readOnly is not null)
        {
            outputs.Add(readOnly.Path);
        }

        foreach (string output in outputs)
        {
            var (code, _, error) = CliRunner.Run("run", pipeline, "--output", output, "--cache", _files.Cache);

            Assert.Equal(2, code);
            Assert.Contains($"field '--output': the folder '{output}' cannot be written", error);
            Assert.Contains("Fix: ", error);
            Assert.DoesNotContain("   at ", error);
            Assert.DoesNotContain("[pretrain", error);
            Assert.False(Directory.Exists(Path.Combine(_files.Cache, "policies")));
        }
    }

    [SkippableFact]
    public void SweepsAndEvaluationsRefuseAReadOnlyFolderWithThePathAndTheFix()
    {
        using var readOnly = TroubledFolder.ReadOnly(_files.Folder);
        Skip.If(readOnly is null, "this machine cannot make a read-only folder (as root, that needs mount).");
        string sweep = _files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "seed": [1, 2] }""");
        string samples = Path.Combine(_files.Folder, "samples.csv");
        File.WriteAllLines(samples, ["prompt,proxy,gold", "a,1,1", "a,2,1", "b,1,2", "b,3,1"]);

        var commands = new[]
        {
            new[] { "sweep", "run", sweep, "--output", readOnly!.Path, "--cache", _files.Cache },
            ["sweep", "merge", sweep, "--output", readOnly.Path],
            ["evaluate", "bon", "--data", samples, "--prompt-column", "prompt", "--proxy-column", "proxy", "--gold-column", "gold", "--output", readOnly.Path],
        };
        foreach (var command in commands)
        {
            var (code, _, error) = CliRunner.Run(command);

            Assert.True(code == 2, $"{string.Join(' ', command)}: exit {code}: {error}");
            Assert.Contains($"the folder '{readOnly.Path}' cannot be written", error);
            Assert.Contains("Fix: ", error);
            Assert.DoesNotContain("   at ", error);
        }
    }

    [SkippableFact]
    public void AFullDiskStopsTheRunWithThePathAndTheFixAndARerunElsewhereReusesWhatWasBuilt()
    {
        using var small = TroubledFolder.Full(_files.Folder, kilobytes: 48);
        Skip.If(small is null, "a full disk needs root and mount (a small tmpfs).");
        string pipeline = Path.Combine(_files.Folder, "tiny.json");
        File.WriteAllText(pipeline, TestPipelines.Tiny);

        var (code, _, error) = CliRunner.Run("run", pipeline, "--output", small!.Path, "--cache", _files.Cache);
        var rerun = CliRunner.Run("run", pipeline, "--output", Path.Combine(_files.Folder, "roomy"), "--cache", _files.Cache);

        Assert.Equal(2, code);
        Assert.Contains("No space left on device", error);
        Assert.Contains(small.Path, error);
        Assert.Contains("Fix: free space on that disk", error);
        Assert.DoesNotContain("   at ", error);
        Assert.Equal(0, rerun.Code);
        Assert.Contains("reusing", rerun.Error.Split('\n').Single(l => l.Contains("/policies/", StringComparison.Ordinal)));
        // No half-written file is left behind: results are renamed into place whole.
        Assert.Empty(Directory.GetFiles(small.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [SkippableFact]
    public void CtrlCThenARerunResumesToTheNumbersOfAnUninterruptedRun()
    {
        string pipeline = Path.Combine(_files.Folder, "tiny.json");
        // Long enough that the interrupt lands well before the end even on a loaded machine (60 steps sometimes finished first).
        File.WriteAllText(pipeline, TestPipelines.TinyWithPpoSteps(200));
        string interrupted = Path.Combine(_files.Folder, "interrupted");
        var reference = CliRunner.Run("run", pipeline, "--output", Path.Combine(_files.Folder, "reference"), "--cache", _files.Cache, "--threads", "1");
        using (var run = CliProcess.Start("run", pipeline, "--output", interrupted, "--cache", _files.Cache, "--threads", "1"))
        {
            Until(() => Directory.Exists(Path.Combine(interrupted, "checkpoints"))
                && Directory.GetFiles(Path.Combine(interrupted, "checkpoints"), "*.checkpoint.zip", SearchOption.AllDirectories).Length > 0, run);
            Skip.If(run.IgnoresInterrupt(), "SIGINT is ignored in this process tree (the tests run as a background job), so Ctrl-C cannot be sent; run ./test.sh in the foreground.");
            run.Interrupt();
            Assert.True(run.WaitForExit(Patience), run.Output);
            Assert.True(run.ExitCode != 0, "the run finished before the interrupt reached it:\n" + run.Output);
        }
        Assert.False(File.Exists(Path.Combine(interrupted, "summary.json")));

        var resumed = CliRunner.Run("run", pipeline, "--output", interrupted, "--cache", _files.Cache, "--threads", "1");

        Assert.Equal((0, 0), (reference.Code, resumed.Code));
        Assert.Contains("resumed", resumed.Error);
        foreach (string file in new[] { "curves.csv", "fits.csv" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(_files.Folder, "reference", file)), File.ReadAllText(Path.Combine(interrupted, file)));
        }
    }

    public void Dispose() => _files.Dispose();

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with the process's output if it ends first or time runs out.</summary>
    private static void Until(Func<bool> condition, CliProcess process)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(process.HasExited, $"the process ended before the moment the test waited for:\n{process.Output}");
            Assert.True(clock.Elapsed < Patience, $"the moment the test waited for did not come:\n{process.Output}");
            Thread.Sleep(20);
        }
    }

    private static long Count(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
