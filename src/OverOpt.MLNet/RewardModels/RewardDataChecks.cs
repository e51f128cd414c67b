using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.RewardModels;

/// <summary>Schema checks with errors that name the column, what was found and the fix.</summary>
internal static class RewardDataChecks
{
    public static void RequireScoringColumns(DataViewSchema schema, string model)
    {
        RequireTokenColumn(schema, RewardInput.PromptColumn, $"scoring with reward model '{model}'");
        RequireTokenColumn(schema, RewardInput.ResponseColumn, $"scoring with reward model '{model}'");
    }

    public static void RequireTokenColumn(DataViewSchema schema, string column, string purpose)
    {
        var found = schema.GetColumnOrNull(column);
        if (found is null)
        {
            throw new OverOptConfigurationException(
                $"{purpose} needs a column '{column}', which the data does not have (it has: {string.Join(", ", schema.Select(c => c.Name))}).",
                column, $"add '{column}' as a vector of Int32 token ids (e.g. an int[] property named {column}).");
        }
        if (found.Value.Type is not VectorDataViewType { ItemType: NumberDataViewType item } || item.RawType != typeof(int))
        {
            throw new OverOptConfigurationException(
                $"{purpose} needs '{column}' to be a vector of Int32 token ids, but it is {found.Value.Type}.",
                column, $"store '{column}' as int[] token ids from the policy's tokenizer.");
        }
    }
}
