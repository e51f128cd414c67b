using OverOpt.Experiments.SeedStatistics;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;

namespace OverOpt.Experiments.Outcomes;

/// <summary>One direct alignment run of a pipeline on one seed: its curve (stamped), the R_RL fit of its gold and the steps in one epoch.</summary>
internal sealed record DirectAlignmentSeedRun(int Seed, IReadOnlyList<CurvePoint> Curve, GoldCurveFit? Fit, int StepsPerEpoch, double Seconds);

/// <summary>
/// One direct alignment configuration of a pipeline (loss, beta) over its seeds: the per-seed runs, their seed-mean curve
/// with seed-level intervals, the R_RL fit of that mean (intervals from the per-seed fits) and the verdict on it.
/// </summary>
internal sealed record DirectAlignmentConfiguration(string Policy, string Loss, double Beta, IReadOnlyList<DirectAlignmentSeedRun> Seeds, IReadOnlyList<CurvePoint> MeanCurve,
    GoldCurveFit? MeanFit, OveroptimizationVerdict Verdict)
{
    public static DirectAlignmentConfiguration Of(string policy, string loss, double beta, IReadOnlyList<DirectAlignmentSeedRun> seeds)
    {
        var mean = SeedMeanCurve.Of(seeds.Select(s => s.Curve).ToList());
        var fit = SeedMeanCurve.Fit(GoldCurveForm.ReinforcementLearning, mean, seeds.Select(s => s.Fit).ToList());
        return new DirectAlignmentConfiguration(policy, loss, beta, seeds, mean, fit, OveroptimizationVerdict.Assess(mean));
    }
}
