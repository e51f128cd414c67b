using OverOpt.MLNet.Pretraining;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Pipelines;

/// <summary>
/// A declarative experiment (the content of a pipelines/*.json file). Every field has an embedded default, so
/// <c>{}</c> is a valid pipeline; unknown fields are errors, not silently ignored.
/// </summary>
public sealed class PipelineDefinition
{
    public string Name { get; set; } = "quick";

    /// <summary>Seeds every random choice of the run.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>A corpus file (one story per line), relative to the pipeline file; null for the bundled corpus.</summary>
    public string? Corpus { get; set; }

    /// <summary>Policy sizes to pretrain; the first is pi_init for what follows.</summary>
    public List<PolicySpec> Policies { get; set; } =
    [
        new PolicySpec { Name = "small", Layers = 2, ModelDim = 64, Heads = 4 },
        new PolicySpec { Name = "medium", Layers = 4, ModelDim = 128, Heads = 4 },
    ];

    public PretrainingOptions Pretraining { get; set; } = new();

    public SamplingSpec Sampling { get; set; } = new();

    /// <summary>Checks every value that can be checked without data; errors name the dotted field.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new OverOptConfigurationException($"name '{Name}' cannot name an output folder.", "name", "use letters, digits, '-' or '_'.");
        }
        if (Policies.Count == 0)
        {
            throw new OverOptConfigurationException("no policies are listed.", "policies", "list at least one policy, e.g. { \"name\": \"small\", \"layers\": 2, \"modelDim\": 64, \"heads\": 4 }.");
        }
        Nested("pretraining", Pretraining.Validate);
        Nested("sampling", Sampling.Validate);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Policies.Count; i++)
        {
            var policy = Policies[i];
            string prefix = $"policies[{i}]";
            if (!names.Add(policy.Name))
            {
                throw new OverOptConfigurationException($"the name '{policy.Name}' is used twice.", $"{prefix}.name", "give every policy its own name.");
            }
            Nested(prefix, () => policy.ToShape(vocabularySize: 0).Validate(includeVocabulary: false));
            int needed = Sampling.PromptLength + Sampling.ResponseLength;
            if (needed > policy.Context)
            {
                throw new OverOptConfigurationException(
                    $"sampling.promptLength ({Sampling.PromptLength}) + sampling.responseLength ({Sampling.ResponseLength}) = {needed} tokens exceed this policy's context of {policy.Context}.",
                    $"{prefix}.context",
                    $"raise {prefix}.context to at least {needed}, or shorten sampling.responseLength to at most {policy.Context - Sampling.PromptLength}.");
            }
        }
    }

    private static void Nested(string prefix, Action validate)
    {
        try
        {
            validate();
        }
        catch (OverOptConfigurationException e)
        {
            throw new OverOptConfigurationException(e.Problem, $"{prefix}.{e.Field}", e.Fix, e.File, e.InnerException);
        }
    }
}
