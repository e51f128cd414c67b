using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Curves;

/// <summary>The input check of the curve transformers: a column of one type, or an error naming it and the fix.</summary>
internal static class CurveColumns
{
    public static void Require(DataViewSchema schema, string column, DataViewType type, string rowType)
    {
        var found = schema.GetColumnOrNull(column);
        if (found is null || found.Value.Type != type)
        {
            throw new OverOptConfigurationException(
                found is null ? $"the samples have no column '{column}'." : $"'{column}' is {found.Value.Type}, not {type}.",
                column, $"give the samples a {type} column '{column}' (see {rowType}).");
        }
    }
}
