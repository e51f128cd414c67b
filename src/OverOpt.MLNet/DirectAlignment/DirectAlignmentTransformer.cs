using Microsoft.ML;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Sampling;

namespace OverOpt.MLNet.DirectAlignment;

/// <summary>
/// What <see cref="DirectAlignmentTrainer.Fit"/> returns: the trained policy as an ML.NET transformer (one sampled response
/// per prompt row, <see cref="PolicySampleRow"/> columns, KL from pi_init), and beside it what the run measured: the curve
/// (method <c>daa</c>; gold, rule and implicit reward re-centred on pi_init), the per-step losses and the steps in one epoch.
/// </summary>
public sealed class DirectAlignmentTransformer : TrainedPolicyTransformer
{
    internal DirectAlignmentTransformer(MLContext mlContext, Policy policy, Policy reference, IReadOnlyList<CurvePoint> curve, IReadOnlyList<DirectAlignmentStep> steps,
        int stepsPerEpoch, int seed, int responseLength)
        : base(mlContext, policy, reference, RewardColumnDefaults.Prompt, new SamplingOptions { ResponseLength = responseLength, Temperature = 1.0, BatchSize = 64 }, seed)
    {
        (Curve, Steps, StepsPerEpoch) = (curve, steps, stepsPerEpoch);
        // Once, as PPO's is: the fit's intervals resample the curve 500 times.
        Fit = Ppo.PpoTrainer.FitCurve(curve);
    }

    /// <summary>Implicit reward, gold and rule against step, KL and d at every evaluation, re-centred on pi_init.</summary>
    public IReadOnlyList<CurvePoint> Curve { get; }

    /// <summary>The R_RL fit d(alpha - beta ln d) of <see cref="Curve"/>'s gold (Rafailov et al.'s form for direct alignment); null where the curve has too few distinct points.</summary>
    public Fits.GoldCurveFit? Fit { get; }

    /// <summary>One row per optimizer step.</summary>
    public IReadOnlyList<DirectAlignmentStep> Steps { get; }

    /// <summary>Optimizer steps in one pass over the pairs: where a step of the curve stands in epochs.</summary>
    public int StepsPerEpoch { get; }
}
