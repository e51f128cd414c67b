using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;

namespace OverOpt.MLNet.DirectAlignment;

/// <summary>
/// What <see cref="DirectAlignmentTrainer.Fit"/> returns: the trained policy as an ML.NET transformer (one sampled response
/// per prompt row, <see cref="PolicySampleRow"/> columns, KL from pi_init), and beside it what the run measured: the curve
/// (method <c>daa</c>; gold, rule and implicit reward re-centred on pi_init), the per-step losses and the steps in one epoch.
/// </summary>
public sealed class DirectAlignmentTransformer : ITransformer
{
    private readonly MLContext _ml;
    private readonly Policy _reference;
    private readonly int _seed;
    private readonly int _responseLength;

    internal DirectAlignmentTransformer(MLContext mlContext, Policy policy, Policy reference, IReadOnlyList<CurvePoint> curve, IReadOnlyList<DirectAlignmentStep> steps,
        int stepsPerEpoch, int seed, int responseLength)
    {
        _ml = mlContext;
        _reference = reference;
        _seed = seed;
        _responseLength = responseLength;
        (Policy, Curve, Steps, StepsPerEpoch) = (policy, curve, steps, stepsPerEpoch);
    }

    /// <summary>The trained policy (save it with <see cref="Policies.Policy.Save"/>; the caller disposes it).</summary>
    public Policy Policy { get; }

    /// <summary>Implicit reward, gold and rule against step, KL and d at every evaluation, re-centred on pi_init.</summary>
    public IReadOnlyList<CurvePoint> Curve { get; }

    /// <summary>The R_RL fit d(alpha - beta ln d) of <see cref="Curve"/>'s gold (Rafailov et al.'s form for direct alignment); null where the curve has too few distinct points.</summary>
    public Fits.GoldCurveFit? Fit => Ppo.PpoTrainer.FitCurve(Curve);

    /// <summary>One row per optimizer step.</summary>
    public IReadOnlyList<DirectAlignmentStep> Steps { get; }

    /// <summary>Optimizer steps in one pass over the pairs: where a step of the curve stands in epochs.</summary>
    public int StepsPerEpoch { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => false;

    /// <summary>The sample columns (<see cref="PolicySampleRow"/>).</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        RewardDataChecks.RequireTokenColumn(inputSchema, RewardColumnDefaults.Prompt, "sampling the trained policy");
        return _ml.Data.LoadFromEnumerable(Array.Empty<PolicySampleRow>()).Schema;
    }

    /// <summary>Not available: responses are sampled in batches, not row by row.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        => throw new InvalidOperationException("The trained policy samples responses in batches; it has no row-to-row mapper. Use Transform.");

    /// <summary>One response of the trained policy for each prompt row, as long as the training pairs' responses, seeded by the run's seed, with KL from pi_init.</summary>
    public IDataView Transform(IDataView input)
    {
        var prompts = RewardDataChecks.ReadPrompts(input, RewardColumnDefaults.Prompt, "sampling the trained policy");
        var sampling = new SamplingOptions { ResponseLength = _responseLength, Temperature = 1.0, BatchSize = 64 };
        return _ml.Policies().Sample(Policy, prompts, samplesPerPrompt: 1, sampling, SeedStreams.PpoPolicySamples(_seed), reference: _reference);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException(
            $"{nameof(DirectAlignmentTransformer)} is a policy, not an ML.NET chain: save it with result.Policy.Save(path) and load it with mlContext.Policies().Load(path).");
}
