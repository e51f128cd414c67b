using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Comparisons;

/// <summary>Reads comparison IDataViews, checking their schema and values first.</summary>
public static class ComparisonData
{
    /// <summary>The rows of <paramref name="data"/>; errors name the column and the fix for a wrong schema or a NaN score.</summary>
    public static IReadOnlyList<ComparisonRow> Read(MLContext mlContext, IDataView data)
    {
        const string purpose = "training a reward model on comparisons";
        RewardDataChecks.RequireTokenColumn(data.Schema, ComparisonRow.PromptColumn, purpose);
        RewardDataChecks.RequireTokenColumn(data.Schema, ComparisonRow.ChosenColumn, purpose);
        RewardDataChecks.RequireTokenColumn(data.Schema, ComparisonRow.RejectedColumn, purpose);
        // Gold scores are optional (comparisons labelled by people have none); where present they must be floats.
        foreach (var column in new[] { ComparisonRow.ChosenGoldColumn, ComparisonRow.RejectedGoldColumn })
        {
            if (data.Schema.GetColumnOrNull(column) is { } found && found.Type != NumberDataViewType.Single)
            {
                throw new OverOptConfigurationException($"'{column}' must be a float (Single) column, but it is {found.Type}.", column, $"store '{column}' as float gold scores, or leave the column out.");
            }
        }
        var rows = mlContext.Data.CreateEnumerable<ComparisonRow>(data, reuseRowObject: false, ignoreMissingColumns: true).ToList();
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (!float.IsFinite(row.ChosenGold) || !float.IsFinite(row.RejectedGold))
            {
                string column = float.IsFinite(row.ChosenGold) ? ComparisonRow.RejectedGoldColumn : ComparisonRow.ChosenGoldColumn;
                throw new OverOptConfigurationException($"row {i} has a NaN or infinite score in '{column}'.", column, "drop or re-label that comparison; scores must be finite.");
            }
            if (row.ChosenTokens.Length == 0 || row.ChosenTokens.Length != row.RejectedTokens.Length)
            {
                throw new OverOptConfigurationException(
                    $"row {i} has responses of {row.ChosenTokens.Length} and {row.RejectedTokens.Length} tokens; both must be non-empty and of one fixed length.",
                    ComparisonRow.ChosenColumn, "sample both responses with the same response length.");
            }
        }
        if (rows.Count == 0)
        {
            throw new OverOptConfigurationException("the comparison data has no rows.", ComparisonRow.ChosenColumn, "label at least one comparison.");
        }
        return rows;
    }
}
