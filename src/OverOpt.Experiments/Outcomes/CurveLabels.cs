using OverOpt.MLNet.Curves;
using OverOpt.MLNet.RewardModels;

namespace OverOpt.Experiments.Outcomes;

/// <summary>
/// What names a pipeline's curve beyond what the library's optimizers know: the policy optimized and the proxy's kind,
/// size, training data and seed. The library keys a curve by method, proxy name, coefficient and seed; the pipeline
/// stamps the rest of <see cref="CurveKey"/>.
/// </summary>
public sealed record CurveLabels(string Policy, RewardModelInfo Proxy, int? ProxySeed)
{
    /// <summary>Writes the labels into the key of every one of <paramref name="points"/> and returns them.</summary>
    public IReadOnlyList<CurvePoint> Stamp(IReadOnlyList<CurvePoint> points)
    {
        foreach (var point in points)
        {
            point.Key = point.Key with { Policy = Policy, ProxyKind = Proxy.Kind, ProxyParams = Proxy.Parameters, Comparisons = Proxy.TrainingComparisons, ProxySeed = ProxySeed };
        }
        return points;
    }
}
