using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.Outcomes;

/// <summary>
/// A PPO configuration's outcome on the mean of its seeds: the free R_RL fit and the fit with alpha shared across proxies
/// (null where a curve cannot be fitted), the verdict, final proxy score, KL and share of distinct responses, seconds in all.
/// </summary>
public sealed record PpoSummary(string Policy, string Proxy, double KlCoefficient, IReadOnlyList<int> Seeds, GoldCurveFit? Fit, GoldCurveFit? SharedAlphaFit,
    OveroptimizationVerdict Verdict, int PeakStep, double FinalProxy, double FinalKl, double FinalDistinctResponses, double Seconds)
{
    internal static PpoSummary Of(PpoConfiguration c)
    {
        var last = c.MeanCurve[^1];
        return new PpoSummary(c.Policy, c.Proxy.Name, c.KlCoefficient, c.Seeds.Select(s => s.Seed).ToList(), c.MeanFit, c.SharedAlphaFit, c.Verdict,
            (int)c.MeanCurve[c.Verdict.PeakIndex].Step, last.ProxyScore, last.Kl, c.Seeds.Average(s => s.Result.Diagnostics[^1].DistinctResponses),
            c.Seeds.Sum(s => s.Seconds));
    }
}
