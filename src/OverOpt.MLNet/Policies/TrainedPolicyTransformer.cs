using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;

namespace OverOpt.MLNet.Policies;

/// <summary>
/// A policy an optimizer trained (PPO, direct alignment), as an ML.NET transformer: one sampled response for each row of
/// a prompt column (<see cref="PolicySampleRow"/> columns, with KL from the reference), at the run's response length and
/// temperature, seeded by the run's seed so the same rows give the same responses. It is a policy, not an ML.NET chain:
/// it saves with <c>Policy.Save</c>, not <c>ml.Model.Save</c>.
/// </summary>
public abstract class TrainedPolicyTransformer : ITransformer
{
    private readonly MLContext _ml;
    private readonly Policy _reference;
    private readonly string _promptColumn;
    private readonly SamplingOptions _sampling;
    private readonly int _seed;

    private protected TrainedPolicyTransformer(MLContext mlContext, Policy policy, Policy reference, string promptColumn, SamplingOptions sampling, int seed)
    {
        _ml = mlContext;
        Policy = policy;
        _reference = reference;
        _promptColumn = promptColumn;
        _sampling = sampling;
        _seed = seed;
    }

    /// <summary>The trained policy (save it with <see cref="Policies.Policy.Save"/>; the caller disposes it).</summary>
    public Policy Policy { get; }

    /// <summary>False: responses are sampled in batches (one response row for each prompt row).</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>The sample columns (<see cref="PolicySampleRow"/>); checks the prompt column first.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        RewardDataChecks.RequireTokenColumn(inputSchema, _promptColumn, "sampling the trained policy");
        return _ml.Data.LoadFromEnumerable(Array.Empty<PolicySampleRow>()).Schema;
    }

    /// <summary>Not available: responses are sampled in batches, not row by row.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        => throw new InvalidOperationException("The trained policy samples responses in batches; it has no row-to-row mapper. Use Transform.");

    /// <summary>One response of the trained policy for each prompt row of <paramref name="input"/>, with KL from the reference.</summary>
    public IDataView Transform(IDataView input)
    {
        var prompts = RewardDataChecks.ReadPrompts(input, _promptColumn, "sampling the trained policy");
        return _ml.Policies().Sample(Policy, prompts, samplesPerPrompt: 1, _sampling, SeedStreams.PpoPolicySamples(_seed), reference: _reference);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException(
            $"{GetType().Name} is a policy, not an ML.NET chain: save it with result.Policy.Save(path) and load it with mlContext.Policies().Load(path).");
}
