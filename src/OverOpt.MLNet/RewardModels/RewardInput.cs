using Microsoft.ML;
using Microsoft.ML.Data;

namespace OverOpt.MLNet.RewardModels;

/// <summary>The row a reward model scores: a prompt and a response, as token ids.</summary>
public sealed class RewardInput
{
    /// <summary>The default prompt column.</summary>
    public const string PromptColumn = RewardColumnDefaults.Prompt;

    /// <summary>The default response column.</summary>
    public const string ResponseColumn = RewardColumnDefaults.Response;

    /// <summary>The prompt's token ids.</summary>
    [ColumnName(PromptColumn)]
    [VectorType]
    public int[] PromptTokens { get; set; } = [];

    /// <summary>The response's token ids, scored as read after the prompt.</summary>
    [ColumnName(ResponseColumn)]
    [VectorType]
    public int[] ResponseTokens { get; set; } = [];

    /// <summary>Rows of prompts and responses under the column names <paramref name="info"/> reads.</summary>
    internal static IDataView Rows(MLContext mlContext, RewardModelInfo info, IEnumerable<RewardInput> rows)
    {
        var definition = SchemaDefinition.Create(typeof(RewardInput));
        definition[nameof(PromptTokens)].ColumnName = info.PromptColumnName;
        definition[nameof(ResponseTokens)].ColumnName = info.ResponseColumnName;
        return mlContext.Data.LoadFromEnumerable(rows, definition);
    }
}
