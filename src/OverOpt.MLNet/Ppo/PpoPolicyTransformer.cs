using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;

namespace OverOpt.MLNet.Ppo;

/// <summary>
/// What <see cref="PpoTrainer.Fit"/> returns: the trained policy as an ML.NET transformer, which samples one response
/// for each row of a prompt column (with its log-probabilities and exact KL from pi_init, <see cref="PolicySampleRow"/>
/// columns), and beside it what the run measured: the curve (method "ppo"; scores re-centred so that pi_init scores 0
/// on the evaluation prompts), the per-step diagnostics, the R_RL fit (null where the curve has too few distinct
/// points) and pi_init's raw mean scores that were subtracted.
/// </summary>
public sealed class PpoPolicyTransformer : ITransformer
{
    private readonly MLContext _ml;
    private readonly PpoTrainer.Options _options;

    internal PpoPolicyTransformer(MLContext mlContext, PpoTrainer.Options options, Policy policy, IReadOnlyList<CurvePoint> curve, IReadOnlyList<PpoDiagnostics> diagnostics,
        GoldCurveFit? fit, ScoreBaseline baseline, bool resumed, string? discardedCheckpoint)
    {
        _ml = mlContext;
        _options = options;
        (Policy, Curve, Diagnostics, Fit, Baseline, Resumed, DiscardedCheckpoint) = (policy, curve, diagnostics, fit, baseline, resumed, discardedCheckpoint);
    }

    /// <summary>The trained policy (save it with <see cref="Policies.Policy.Save"/>; the caller disposes it).</summary>
    public Policy Policy { get; }

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

    /// <summary>False: responses are sampled in batches (one response row for each prompt row).</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>The sample columns (<see cref="PolicySampleRow"/>); checks the prompt column first.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        RewardDataChecks.RequireTokenColumn(inputSchema, _options.PromptColumnName, "sampling the trained policy");
        return _ml.Data.LoadFromEnumerable(Array.Empty<PolicySampleRow>()).Schema;
    }

    /// <summary>Not available: responses are sampled in batches, not row by row.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        => throw new InvalidOperationException("The trained policy samples responses in batches; it has no row-to-row mapper. Use Transform.");

    /// <summary>
    /// One response of the trained policy for each prompt row of <paramref name="input"/>, at the run's response length
    /// and temperature, seeded by the run's seed (the same rows give the same responses), with KL from pi_init.
    /// </summary>
    public IDataView Transform(IDataView input)
    {
        var prompts = RewardDataChecks.ReadPrompts(input, _options.PromptColumnName, "sampling the trained policy");
        var sampling = new SamplingOptions { ResponseLength = _options.ResponseLength, Temperature = _options.Temperature, BatchSize = _options.BatchSize };
        return _ml.Policies().Sample(Policy, prompts, samplesPerPrompt: 1, sampling, SeedStreams.PpoPolicySamples(_options.Seed), reference: _options.InitialPolicy);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException(
            $"{nameof(PpoPolicyTransformer)} is a policy, not an ML.NET chain: save it with result.Policy.Save(path) and load it with mlContext.Policies().Load(path).");
}
