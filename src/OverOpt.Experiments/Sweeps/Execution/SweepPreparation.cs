using Microsoft.ML;
using OverOpt.Experiments.Pipelines;
using OverOpt.Experiments.Settings;
using OverOpt.Experiments.Sweeps.Definition;

namespace OverOpt.Experiments.Sweeps.Execution;

/// <summary>
/// What every task of a group shares, built once before the tasks run (<c>overopt sweep prepare</c>, the Slurm
/// prepare job): the pretrained policies, the gold model and the language models the group's transformer proxies start
/// from. A group is the tasks whose pipelines agree on everything but the proxies (and proxySeed), comparisons,
/// best-of-n and PPO; each group's pipeline runs with those left out (20 comparisons are labelled, the least a pipeline
/// accepts) into <c>prepare/&lt;hash&gt;/</c>, which puts its policies and gold into the artifact cache, and then the
/// proxies' language models are pretrained into it, one a shape. Proxies are trained by the tasks; tasks that share one
/// build it once under the cache's lock.
/// </summary>
public sealed class SweepPreparation
{
    private readonly SweepLayout _layout;
    private readonly SweepTaskRunOptions _options;

    /// <param name="layout">Where the groups' runs go (<see cref="SweepLayout.PrepareDirectory"/>).</param>
    /// <param name="options">The cache to fill, the device, progress and log.</param>
    public SweepPreparation(SweepLayout layout, SweepTaskRunOptions options)
    {
        _layout = layout;
        _options = options;
    }

    /// <summary>One group: the shared part of its tasks' pipelines and the tasks.</summary>
    public sealed record Group(string Hash, PipelineDefinition Pipeline, IReadOnlyList<SweepTask> Tasks)
    {
        public string ShortHash => Hash[..SweepTask.ShortHashLength];
    }

    /// <summary>The outcome of one group; <see cref="Error"/> is null when it was prepared.</summary>
    public sealed record GroupOutcome(Group Group, double WallSeconds, string? Error);

    /// <summary>The groups of a sweep, in order of their first task.</summary>
    public static IReadOnlyList<Group> Groups(SweepDefinition sweep)
    {
        var groups = new List<(string Hash, PipelineDefinition Pipeline, List<SweepTask> Tasks)>();
        foreach (var task in sweep.Tasks)
        {
            var shared = SharedPart(task);
            string hash = CanonicalJson.Hash(CanonicalJson.ToText(shared));
            var group = groups.FirstOrDefault(g => g.Hash == hash);
            if (group.Tasks is null)
            {
                groups.Add((hash, shared, [task]));
            }
            else
            {
                group.Tasks.Add(task);
            }
        }
        return groups.Select(g => new Group(g.Hash, g.Pipeline, g.Tasks)).ToList();
    }

    /// <summary>
    /// Prepares every group in turn. A group that fails is reported and the others go on: its tasks will fail with the
    /// same error and be reported by the merge, while the other groups' tasks need not wait for a fix.
    /// </summary>
    public IReadOnlyList<GroupOutcome> Run(SweepDefinition sweep)
    {
        var outcomes = new List<GroupOutcome>();
        foreach (var group in Groups(sweep))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            _options.Log($"preparing group {group.ShortHash} (tasks {string.Join(", ", group.Tasks.Select(t => t.Index))})");
            try
            {
                var run = _options.ForPipeline(Path.Combine(_layout.PrepareDirectory, group.ShortHash));
                var runner = new PipelineRunner(new MLContext(group.Pipeline.Seed));
                runner.Run(group.Pipeline, run);
                int languageModels = runner.PretrainProxyLanguageModels(group.Pipeline, group.Tasks.SelectMany(t => t.ClonePipeline().Proxies), run);
                _options.Log($"group {group.ShortHash}: policies, gold and {languageModels} proxy language model(s) in the cache");
                outcomes.Add(new GroupOutcome(group, clock.Elapsed.TotalSeconds, null));
            }
            catch (Exception e)
            {
                _options.Log($"group {group.ShortHash} could not be prepared: {e.Message}");
                outcomes.Add(new GroupOutcome(group, clock.Elapsed.TotalSeconds, e.Message));
            }
        }
        return outcomes;
    }

    /// <summary>The task's pipeline without what is not shared: no proxies (nor their seed), best-of-n or PPO, the fewest comparisons.</summary>
    private static PipelineDefinition SharedPart(SweepTask task)
    {
        var shared = task.ClonePipeline();
        shared.Proxies = [];
        shared.ProxySeed = null;
        // Whole sections to their defaults, so that settings the shared part never uses (e.g. KL coefficients) do not split groups.
        shared.BestOfN = new BestOfNSpec { Prompts = 0 };
        shared.Ppo = new PpoSpec { Proxies = [] };
        shared.Comparisons = new ComparisonSpec { Count = 20 };
        return shared;
    }
}
