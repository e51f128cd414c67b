using Microsoft.ML.Data;

namespace OverOpt.MLNet.Comparisons;

/// <summary>
/// One labelled comparison: two pi_init responses to the same prompt, the preferred one first. The gold scores stay
/// attached to their responses (label noise swaps which is chosen, never which score belongs to which response).
/// </summary>
public sealed class ComparisonRow
{
    /// <summary>Name of the column of the prompt's token ids (<see cref="PromptTokens"/>).</summary>
    public const string PromptColumn = "PromptTokens";
    /// <summary>Name of the column of the chosen response's token ids (<see cref="ChosenTokens"/>).</summary>
    public const string ChosenColumn = "ChosenTokens";
    /// <summary>Name of the column of the rejected response's token ids (<see cref="RejectedTokens"/>).</summary>
    public const string RejectedColumn = "RejectedTokens";
    /// <summary>Name of the column of gold's score of the chosen response (<see cref="ChosenGold"/>).</summary>
    public const string ChosenGoldColumn = "ChosenGold";
    /// <summary>Name of the column of gold's score of the rejected response (<see cref="RejectedGold"/>).</summary>
    public const string RejectedGoldColumn = "RejectedGold";

    /// <summary>The prompt's token ids, shared by both responses.</summary>
    [VectorType]
    public int[] PromptTokens { get; set; } = [];

    /// <summary>Token ids of the preferred response: the one gold scores higher, unless label noise flipped the label.</summary>
    [VectorType]
    public int[] ChosenTokens { get; set; } = [];

    /// <summary>Token ids of the other response, of the same length as the chosen one.</summary>
    [VectorType]
    public int[] RejectedTokens { get; set; } = [];

    /// <summary>Gold's normalized score of the chosen response.</summary>
    public float ChosenGold { get; set; }

    /// <summary>Gold's normalized score of the rejected response.</summary>
    public float RejectedGold { get; set; }

    /// <summary>True where label noise flipped the gold preference.</summary>
    public bool Flipped { get; set; }
}
