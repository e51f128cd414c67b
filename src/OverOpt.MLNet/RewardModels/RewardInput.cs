using Microsoft.ML.Data;

namespace OverOpt.MLNet.RewardModels;

/// <summary>The row a reward model scores: a prompt and a response, as token ids.</summary>
public sealed class RewardInput
{
    public const string PromptColumn = "PromptTokens";
    public const string ResponseColumn = "ResponseTokens";

    [ColumnName(PromptColumn)]
    [VectorType]
    public int[] PromptTokens { get; set; } = [];

    [ColumnName(ResponseColumn)]
    [VectorType]
    public int[] ResponseTokens { get; set; } = [];
}
