namespace OverOpt.MLNet.RewardModels;

/// <summary>What is known of a reward model, saved with it.</summary>
public sealed record RewardModelInfo
{
    /// <summary>"gold", or the proxy's name in its pipeline.</summary>
    public string Name { get; init; } = "";

    /// <summary><see cref="TransformerRewardModel.KindName"/> or <see cref="FastTreeRewardModel.KindName"/>.</summary>
    public string Kind { get; init; } = "";

    /// <summary>Trainable parameters (for FastTree: leaf values, trees x leaves).</summary>
    public long Parameters { get; init; }

    /// <summary>Comparisons it was trained on (0 for gold).</summary>
    public int TrainingComparisons { get; init; }

    /// <summary>
    /// Bradley-Terry loss on held-out comparisons at the loss-minimizing temperature of the raw scores (the paper's
    /// rescaling, so losses of different models compare; ln 2 = 0.693 is chance).
    /// </summary>
    public double ValidationLoss { get; init; } = double.NaN;

    /// <summary>Share of held-out comparisons it orders as their labels do.</summary>
    public double ValidationAccuracy { get; init; } = double.NaN;

    /// <summary>Normalization: score = (raw - Offset) * Scale; fitted on pi_init's samples so they have mean 0, std 1.</summary>
    public double Offset { get; init; }

    /// <summary>The normalization's factor: 1 / (std of the raw scores on pi_init's samples); see <see cref="Offset"/>.</summary>
    public double Scale { get; init; } = 1;

    /// <summary>Further named figures (for gold: how faithfully it reproduces the preference rule).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The column of prompt token ids the model's ML.NET chain reads.</summary>
    public string PromptColumnName { get; init; } = RewardColumnDefaults.Prompt;

    /// <summary>The column of response token ids the model's ML.NET chain reads.</summary>
    public string ResponseColumnName { get; init; } = RewardColumnDefaults.Response;

    /// <summary>Canonical description of what made it (the artifact cache's key).</summary>
    public string Provenance { get; init; } = "";
}
