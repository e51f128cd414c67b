using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;

namespace OverOpt.Experiments.Tests;

/// <summary>
/// <c>sweep prepare</c> builds what a group's tasks share, the proxies' language models included (one a shape), so
/// that a task then builds only what is its own: comparisons and proxies.
/// </summary>
public sealed class SweepPreparationTests : IDisposable
{
    private readonly SweepTestFiles _files = new("overopt-prepare-");

    [Fact]
    public void PrepareBuildsEveryProxyShapesLanguageModelOnceAndATaskThenPretrainsNothing()
    {
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.RewardPipeline, """
            { "proxies": [
                [ { "name": "t", "kind": "transformer", "layers": 1, "modelDim": 8, "heads": 2, "epochs": 1 } ],
                [ { "name": "u", "kind": "transformer", "layers": 1, "modelDim": 4, "heads": 2, "epochs": 1 },
                  { "name": "t", "kind": "transformer", "layers": 1, "modelDim": 8, "heads": 2, "epochs": 1 },
                  { "name": "f", "kind": "fasttree", "trees": 5, "leaves": 4 } ] ] }
            """));
        _files.FixCorpus();
        var layout = new SweepLayout(_files.Output);
        var prepareLog = new List<string>();
        var prepared = new SweepPreparation(layout, new SweepTaskRunOptions { CacheDirectory = _files.Cache, Log = prepareLog.Add }).Run(sweep);

        Assert.Single(prepared);
        Assert.Null(prepared[0].Error);
        Assert.Contains(prepareLog, l => l.EndsWith(": policies, gold and 2 proxy language model(s) in the cache", StringComparison.Ordinal));
        // The policy, gold's language model and gold, then the 1x8's and the 1x4's language models: each saved once.
        var saved = prepareLog.Where(l => l.StartsWith("saved ", StringComparison.Ordinal)).ToList();
        Assert.Equal(saved.Count, saved.Distinct().Count());
        Assert.Equal(4, saved.Count(l => l.Contains(Folder("policies"), StringComparison.Ordinal)));

        var taskLog = new List<string>();
        var outcome = new SweepTaskRunner(layout, new SweepTaskRunOptions { CacheDirectory = _files.Cache, Log = taskLog.Add }).Run(sweep.Tasks[1]);

        Assert.Equal(SweepTaskResult.Completed, outcome.Result);
        // Policies and language models live under policies/, gold under gold/: the task saves neither.
        Assert.DoesNotContain(taskLog, l => l.StartsWith("saved ", StringComparison.Ordinal)
            && (l.Contains(Folder("policies"), StringComparison.Ordinal) || l.Contains(Folder("gold"), StringComparison.Ordinal)));
        Assert.Contains(taskLog, l => l.StartsWith("saved ", StringComparison.Ordinal) && l.Contains(Folder("proxies"), StringComparison.Ordinal));
        // pi_init and the two proxies' language models (gold is reused whole, so its language model is not loaded).
        Assert.Equal(3, taskLog.Count(l => l.StartsWith("reusing ", StringComparison.Ordinal) && l.Contains(Folder("policies"), StringComparison.Ordinal)));
    }

    private static string Folder(string name) => $"{Path.DirectorySeparatorChar}{name}{Path.DirectorySeparatorChar}";

    public void Dispose() => _files.Dispose();
}
