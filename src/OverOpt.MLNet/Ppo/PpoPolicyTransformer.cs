using Microsoft.ML;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Sampling;

namespace OverOpt.MLNet.Ppo;

/// <summary>
/// What <see cref="PpoTrainer.Fit"/> returns: the trained policy as an ML.NET transformer, which samples one response
/// for each row of a prompt column (with its log-probabilities and exact KL from pi_init, <see cref="PolicySampleRow"/>
/// columns), and beside it what the run measured: the curve (method "ppo"; scores re-centred so that pi_init scores 0
/// on the evaluation prompts), the per-step diagnostics, the R_RL fit (null where the curve has too few distinct
/// points) and pi_init's raw mean scores that were subtracted.
/// </summary>
public sealed class PpoPolicyTransformer : TrainedPolicyTransformer
{
    internal PpoPolicyTransformer(MLContext mlContext, PpoTrainer.Options options, Policy policy, IReadOnlyList<CurvePoint> curve, IReadOnlyList<PpoDiagnostics> diagnostics,
        GoldCurveFit? fit, ScoreBaseline baseline, bool resumed, string? discardedCheckpoint)
        : base(mlContext, policy, options.InitialPolicy!, options.PromptColumnName,
            new SamplingOptions { ResponseLength = options.ResponseLength, Temperature = options.Temperature, BatchSize = options.BatchSize }, options.Seed)
    {
        (Curve, Diagnostics, Fit, Baseline, Resumed, DiscardedCheckpoint) = (curve, diagnostics, fit, baseline, resumed, discardedCheckpoint);
    }

    /// <summary>Proxy, gold and rule against step, KL and d at every evaluation, re-centred on pi_init.</summary>
    public IReadOnlyList<CurvePoint> Curve { get; }

    /// <summary>One row per optimizer step: scores, KL estimates, beta, losses, clip fraction, distinct responses.</summary>
    public IReadOnlyList<PpoDiagnostics> Diagnostics { get; }

    /// <summary>The R_RL fit of <see cref="Curve"/>'s gold, null where the curve has too few distinct points.</summary>
    public GoldCurveFit? Fit { get; }

    /// <summary>pi_init's raw mean scores that the curve subtracts.</summary>
    public ScoreBaseline Baseline { get; }

    /// <summary>The run continued from a checkpoint.</summary>
    public bool Resumed { get; }

    /// <summary>Why a checkpoint found was unreadable and so discarded (the run started again from step 0); null otherwise.</summary>
    public string? DiscardedCheckpoint { get; }
}
