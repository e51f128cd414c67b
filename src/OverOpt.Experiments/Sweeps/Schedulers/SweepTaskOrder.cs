using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;

namespace OverOpt.Experiments.Sweeps.Schedulers;

/// <summary>
/// The order a pool starts pending tasks in: the groups' tasks in turn (each group's first, then each group's second, ...;
/// groups as <see cref="SweepPreparation.Groups"/> has them). A group's first task builds what the group shares (policies,
/// gold, the proxies' language models: up to an hour on a new world) under the cache's lock, and a second task of the same
/// group started beside it only waits on that lock; a task of another group works meanwhile.
/// </summary>
public static class SweepTaskOrder
{
    /// <summary>The pending tasks, groups in turn; within a group, in the sweep's order.</summary>
    public static IReadOnlyList<SweepTask> GroupsInTurn(SweepDefinition sweep, IReadOnlyCollection<SweepTask> pending)
    {
        var wanted = pending.Select(t => t.Index).ToHashSet();
        var groups = SweepPreparation.Groups(sweep)
            .Select(g => g.Tasks.Where(t => wanted.Contains(t.Index)).ToList())
            .Where(g => g.Count > 0)
            .ToList();
        var order = new List<SweepTask>(wanted.Count);
        for (int turn = 0; order.Count < wanted.Count; turn++)
        {
            order.AddRange(groups.Where(g => turn < g.Count).Select(g => g[turn]));
        }
        return order;
    }
}
