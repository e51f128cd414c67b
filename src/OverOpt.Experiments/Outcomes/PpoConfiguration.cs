using OverOpt.Experiments.SeedStatistics;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;
using OverOpt.MLNet.RewardModels;

namespace OverOpt.Experiments.Outcomes;

/// <summary>
/// One PPO configuration of a pipeline (proxy, KL coefficient) over its seeds: the per-seed runs, their seed-mean curve
/// with seed-level intervals, the R_RL fit of that mean (intervals from the per-seed fits) and the verdict on it.
/// <see cref="SharedAlphaFit"/> is filled in once every proxy at this coefficient is known.
/// </summary>
internal sealed record PpoConfiguration(string Policy, RewardModel Proxy, double KlCoefficient, IReadOnlyList<PpoSeedRun> Seeds, IReadOnlyList<CurvePoint> MeanCurve,
    GoldCurveFit? MeanFit, OveroptimizationVerdict Verdict)
{
    public GoldCurveFit? SharedAlphaFit { get; init; }

    public static PpoConfiguration Of(string policy, RewardModel proxy, double klCoefficient, IReadOnlyList<PpoSeedRun> seeds)
    {
        var mean = SeedMeanCurve.Of(seeds.Select(s => s.Result.Curve).ToList());
        var fit = SeedMeanCurve.Fit(GoldCurveForm.ReinforcementLearning, mean, seeds.Select(s => s.Result.Fit).ToList());
        return new PpoConfiguration(policy, proxy, klCoefficient, seeds, mean, fit, OveroptimizationVerdict.Assess(mean));
    }

    /// <summary>
    /// R_RL with one alpha for every proxy of a policy at the same KL coefficient (the paper's alpha_RL held fixed), seed-level
    /// intervals from the same fit done seed by seed; configurations whose curves cannot be fitted keep no shared fit.
    /// </summary>
    public static IReadOnlyList<PpoConfiguration> WithSharedAlpha(IReadOnlyList<PpoConfiguration> configurations)
    {
        var result = configurations.ToList();
        foreach (var group in configurations.GroupBy(c => (c.Policy, c.KlCoefficient)))
        {
            var members = group.ToList();
            int seeds = members.Min(m => m.Seeds.Count);
            try
            {
                var fits = SeedStatistics.SharedAlphaFit.Fit(GoldCurveForm.ReinforcementLearning, members.Select(m => m.MeanCurve).ToList(),
                    Enumerable.Range(0, seeds).Select(s => (IReadOnlyList<IReadOnlyList<CurvePoint>>)members.Select(m => m.Seeds[s].Result.Curve).ToList()).ToList());
                for (int j = 0; j < members.Count; j++)
                {
                    result[result.IndexOf(members[j])] = members[j] with { SharedAlphaFit = fits[j] };
                }
            }
            catch (ArgumentException)
            {
                // A curve that never left d = 0 (or sat at d = 1) has no beta to share an alpha with.
            }
        }
        return result;
    }
}
