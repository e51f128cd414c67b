using Microsoft.Data.Sqlite;
using OverOpt.Experiments.Analysis.Studies;
using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;
using OverOpt.Experiments.Sweeps.Storage;
using OverOpt.MLNet.Artifacts;

namespace OverOpt.Experiments.Tests;

/// <summary>The merge of a sweep's task folders into SQLite, and the report drawn from it (task results written by hand).</summary>
[Trait(Speed.Category, Speed.Fast)]
public sealed class SweepDatabaseTests : IDisposable
{
    private readonly SweepTestFiles _files = new();

    [Fact]
    public void TheMergeHasEveryTaskTheirCsvColumnsByNameAndTheFailedTaskWithItsRerunCommand()
    {
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "seed": [1, 2, 3], "sampling.temperature": [0.7] }"""));
        var layout = new SweepLayout(_files.Output);
        // Task 1 was written by a later version whose curves.csv has one more column, in another place.
        Finish(layout, sweep.Tasks[0], "method,proxy,proxy_params,seed,d,gold_score\nbon,t,100,1,0.5,0.25\nbon,t,100,1,1.0,0.5\nppo,t,100,mean,2,0.75\n");
        Finish(layout, sweep.Tasks[1], "method,proxy,extra,proxy_params,seed,d,gold_score\nbon,t,x,1000,2,0.5,1.5\n");
        AtomicFile.WriteAllText(layout.FailureLog(sweep.Tasks[2]), "boom\n");

        var result = SweepDatabase.Merge(sweep, layout, t => $"overopt sweep task s.json --index {t.Index}");
        string report = SweepReport.Write(result.DatabasePath, layout.ReportPath);

        Assert.False(result.Complete);
        Assert.Equal(2, result.Done);
        var failed = Assert.Single(result.Unfinished);
        Assert.Equal((2, SweepTaskStatus.Failed, layout.FailureLog(sweep.Tasks[2])), (failed.Task.Index, failed.Status, failed.LogPath));
        Assert.Equal(4, result.RowCounts["curve_points"]);
        Assert.Empty(Directory.GetFiles(layout.Root, "*.tmp"));
        string db = result.DatabasePath;
        Assert.Equal([(0L, "done", 1L, 0.7), (1L, "done", 2L, 0.7), (2L, "failed", 3L, 0.7)],
            SweepDatabase.Query(db, "SELECT task_index, status, seed, sampling_temperature FROM runs ORDER BY task_index", r => (r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetDouble(3))));
        Assert.Equal("overopt sweep task s.json --index 2", SweepDatabase.Query(db, "SELECT rerun_command FROM runs WHERE task_index = 2", r => r.GetString(0)).Single());
        Assert.Equal(sweep.Tasks[1].Hash, SweepDatabase.Query(db, "SELECT hash FROM runs WHERE task_index = 1", r => r.GetString(0)).Single());
        Assert.Equal("""{"seed":2,"sampling.temperature":0.7}""", SweepDatabase.Query(db, "SELECT overrides FROM runs WHERE task_index = 1", r => r.GetString(0)).Single());
        Assert.Equal(["0|1|bon|0.25|", "0|1|bon|0.5|", "0|mean|ppo|0.75|", "1|2|bon|1.5|x"],
            SweepDatabase.Query(db, "SELECT task_index, seed, method, gold_score, extra FROM curve_points ORDER BY task_index, gold_score", Cells));
        Assert.Equal("integer|text|real|null", SweepDatabase.Query(db, "SELECT typeof(proxy_params), typeof(seed), typeof(gold_score), typeof(extra) FROM curve_points WHERE task_index = 0", Cells)[0]);
        Assert.Equal(["task_index", "method", "proxy", "proxy_params", "seed", "alpha_shared", "alpha", "beta"], SweepDatabase.Query(db, "SELECT name FROM pragma_table_info('fits')", r => r.GetString(0)));
        Assert.Equal(2, SweepDatabase.Query(db, "SELECT COUNT(*) FROM reward_models", r => r.GetInt32(0)).Single());
        string text = File.ReadAllText(report);
        Assert.Contains("| 2 | " + sweep.Tasks[2].ShortHash + " | seed=3, sampling.temperature=0.7 | failed |", text);
        Assert.Contains("rerun: `overopt sweep task s.json --index 2`", text);
        Assert.True(File.Exists(Path.Combine(layout.Root, SweepReport.GoldPeakFigure)));
        Assert.True(File.Exists(Path.Combine(layout.Root, SweepReport.BetaFigure)));
    }

    [Fact]
    public void ATaskWhoseLockIsHeldIsRunningAndOneWithoutResultOrLogIsPending()
    {
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "seed": [1, 2] }"""));
        var layout = new SweepLayout(_files.Output);

        using (FileLock.TryAcquire(layout.LockFile(sweep.Tasks[0])))
        {
            Assert.Equal(SweepTaskStatus.Running, layout.StatusOf(sweep.Tasks[0]));
        }

        Assert.Equal(SweepTaskStatus.Pending, layout.StatusOf(sweep.Tasks[0]));
        Directory.CreateDirectory(layout.PartialDirectory(sweep.Tasks[1])); // killed half-way: its partial folder is no result
        Assert.Equal(SweepTaskStatus.Pending, layout.StatusOf(sweep.Tasks[1]));
    }

    public void Dispose() => _files.Dispose();

    /// <summary>A task folder as a finished task leaves it.</summary>
    private static void Finish(SweepLayout layout, SweepTask task, string curves)
    {
        string folder = layout.TaskDirectory(task);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "curves.csv"), curves);
        File.WriteAllText(Path.Combine(folder, "fits.csv"), $"method,proxy,proxy_params,seed,alpha_shared,alpha,beta\nbon,t,{(task.Index + 1) * 100},1,false,1.2,0.{task.Index + 3}\n");
        File.WriteAllText(Path.Combine(folder, "reward_models.csv"), "name,kind,parameters\nt,transformer,100\n");
        SweepTaskRecord.For(task, DateTime.UtcNow, 1.5).Save(layout.DoneMarker(task));
    }

    private static string Cells(SqliteDataReader r)
        => string.Join('|', Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)));
}
