using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;

namespace OverOpt.Experiments.Settings;

/// <summary>What a pipeline samples from its first policy: prompts from held-out stories, several responses each.</summary>
public sealed class SamplingSpec
{
    /// <summary>Tokens per prompt, the begin token included.</summary>
    public int PromptLength { get; set; } = 8;

    public int ResponseLength { get; set; } = 16;

    public double Temperature { get; set; } = 1.0;

    /// <summary>Distinct held-out prompts.</summary>
    public int Prompts { get; set; } = 16;

    public int SamplesPerPrompt { get; set; } = 4;

    public int BatchSize { get; set; } = 256;

    public SamplingOptions ToOptions() => new() { ResponseLength = ResponseLength, Temperature = Temperature, BatchSize = BatchSize };

    /// <summary>
    /// The same responses drawn in batches of 1,000: for the thousands a pipeline draws at once (the comparisons,
    /// best-of-n's samples, a rule gold's standardization), where a larger batch costs fewer passes.
    /// </summary>
    public SamplingOptions ToBulkOptions() => new() { ResponseLength = ResponseLength, Temperature = Temperature, BatchSize = 1000 };

    public void Validate()
    {
        foreach (var (value, field) in new[] { (PromptLength, "promptLength"), (ResponseLength, "responseLength"), (Prompts, "prompts"), (SamplesPerPrompt, "samplesPerPrompt"), (BatchSize, "batchSize") })
        {
            Require.Positive(value, field);
        }
        if (!(Temperature > 0) || double.IsInfinity(Temperature))
        {
            throw new OverOptConfigurationException($"temperature = {Temperature}, but it must be a positive number.", "temperature", "use 1.0 to sample the policy as it is.");
        }
    }
}
