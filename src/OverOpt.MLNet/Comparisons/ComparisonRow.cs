using Microsoft.ML.Data;

namespace OverOpt.MLNet.Comparisons;

/// <summary>
/// One labelled comparison: two pi_init responses to the same prompt, the preferred one first. The gold scores stay
/// attached to their responses (label noise swaps which is chosen, never which score belongs to which response).
/// </summary>
public sealed class ComparisonRow
{
    public const string PromptColumn = "PromptTokens";
    public const string ChosenColumn = "ChosenTokens";
    public const string RejectedColumn = "RejectedTokens";
    public const string ChosenGoldColumn = "ChosenGold";
    public const string RejectedGoldColumn = "RejectedGold";

    [VectorType]
    public int[] PromptTokens { get; set; } = [];

    [VectorType]
    public int[] ChosenTokens { get; set; } = [];

    [VectorType]
    public int[] RejectedTokens { get; set; } = [];

    /// <summary>Gold's normalized score of the chosen response.</summary>
    public float ChosenGold { get; set; }

    /// <summary>Gold's normalized score of the rejected response.</summary>
    public float RejectedGold { get; set; }

    /// <summary>True where label noise flipped the gold preference.</summary>
    public bool Flipped { get; set; }
}
