using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.RewardModels;

/// <summary>Schema checks with errors that name the column, what was found and the fix.</summary>
internal static class RewardDataChecks
{
    public static void RequireScoringColumns(DataViewSchema schema, RewardModelInfo info)
    {
        RequireTokenColumn(schema, info.PromptColumnName, $"scoring with reward model '{info.Name}'");
        RequireTokenColumn(schema, info.ResponseColumnName, $"scoring with reward model '{info.Name}'");
    }

    public static void RequireTokenColumn(DataViewSchema schema, string column, string purpose)
    {
        var found = schema.GetColumnOrNull(column);
        if (found is null)
        {
            throw Missing(schema.Select(c => c.Name), column, purpose, $"add '{column}' as a vector of Int32 token ids (e.g. an int[] property named {column}).");
        }
        if (found.Value.Type is not VectorDataViewType { ItemType: NumberDataViewType item } || item.RawType != typeof(int))
        {
            throw new OverOptConfigurationException(
                $"{purpose} needs '{column}' to be a vector of Int32 token ids, but it is {found.Value.Type}.",
                column, $"store '{column}' as int[] token ids from the policy's tokenizer.");
        }
    }

    /// <summary>The prompts of <paramref name="data"/>'s token column, checked as a token column (a vector of Int32); at least one.</summary>
    public static int[][] ReadPrompts(IDataView data, string column, string purpose)
    {
        RequireTokenColumn(data.Schema, column, purpose);
        var prompts = data.GetColumn<int[]>(column).ToArray();
        return prompts.Length > 0
            ? prompts
            : throw new OverOptConfigurationException($"{purpose}: the data hold no prompts.", column, "give at least one prompt row.");
    }

    public static void RequireScalar(DataViewSchema schema, string column, string purpose, string expected, Func<DataViewType, bool> accepts)
    {
        var found = schema.GetColumnOrNull(column);
        if (found is null)
        {
            throw Missing(schema.Select(c => c.Name), column, purpose, $"add '{column}' as {expected}, or name your column in the trainer's options.");
        }
        if (!accepts(found.Value.Type))
        {
            throw new OverOptConfigurationException($"{purpose} needs '{column}' to be {expected}, but it is {found.Value.Type}.", column, $"store '{column}' as {expected}.");
        }
    }

    /// <summary>The same checks on an estimator's input shape (<c>GetOutputSchema</c> before fitting).</summary>
    public static void RequireTokenColumn(SchemaShape shape, string column, string purpose)
    {
        if (Find(shape, column) is not { } found)
        {
            throw Missing(shape.Select(c => c.Name), column, purpose, $"add '{column}' as a vector of Int32 token ids.");
        }
        if (found.Kind == SchemaShape.Column.VectorKind.Scalar || found.ItemType is not NumberDataViewType { RawType: var raw } || raw != typeof(int))
        {
            throw new OverOptConfigurationException($"{purpose} needs '{column}' to be a vector of Int32 token ids, but it is {found.Kind} of {found.ItemType}.", column, $"store '{column}' as int[] token ids.");
        }
    }

    public static void RequireScalar(SchemaShape shape, string column, string purpose, string expected, Func<DataViewType, bool> accepts)
    {
        if (Find(shape, column) is not { } found)
        {
            throw Missing(shape.Select(c => c.Name), column, purpose, $"add '{column}' as {expected}, or name your column in the trainer's options.");
        }
        if (found.Kind != SchemaShape.Column.VectorKind.Scalar || !accepts(found.ItemType))
        {
            throw new OverOptConfigurationException($"{purpose} needs '{column}' to be {expected}, but it is {found.Kind} of {found.ItemType}.", column, $"store '{column}' as {expected}.");
        }
    }

    private static SchemaShape.Column? Find(SchemaShape shape, string column)
    {
        foreach (var c in shape)
        {
            if (c.Name == column)
            {
                return c;
            }
        }
        return null;
    }

    private static OverOptConfigurationException Missing(IEnumerable<string> names, string column, string purpose, string fix)
        => new($"{purpose} needs a column '{column}', which the data does not have (it has: {string.Join(", ", names)}).", column, fix);
}
