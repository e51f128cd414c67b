using OverOpt.MLNet.Curves;

namespace OverOpt.Experiments.Outcomes;

/// <summary>
/// What names a pipeline's curve beyond what the library's optimizers know: the policy optimized and the proxy's size
/// and training data. The library computes curves from scores and leaves these columns empty; the pipeline stamps them.
/// </summary>
public sealed record CurveLabels(string Policy, long ProxyParams, int Comparisons)
{
    /// <summary>Writes the labels onto <paramref name="points"/> and returns them.</summary>
    public IReadOnlyList<CurvePoint> Stamp(IReadOnlyList<CurvePoint> points)
    {
        foreach (var point in points)
        {
            (point.Policy, point.ProxyParams, point.Comparisons) = (Policy, ProxyParams, Comparisons);
        }
        return points;
    }
}
