using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Comparisons;

/// <summary>Pairwise accuracy and Bradley-Terry loss of a score column on preference rows.</summary>
internal static class RewardModelEvaluator
{
    public static RewardModelMetrics Evaluate(IDataView data, string labelColumnName, string rowGroupColumnName, string scoreColumnName)
    {
        const string purpose = "evaluating reward scores";
        RewardDataChecks.RequireScalar(data.Schema, scoreColumnName, purpose, "Single (a reward model's Score)", t => t == NumberDataViewType.Single);
        PreferenceData.RequireLabelAndGroup(data.Schema, labelColumnName, rowGroupColumnName, purpose);
        var schema = data.Schema;
        var rows = new List<(long Group, float Label, float Score, long Row)>();
        using (var cursor = data.GetRowCursor([schema[rowGroupColumnName], schema[labelColumnName], schema[scoreColumnName]]))
        {
            var group = ScalarGetters.Int64(cursor, schema[rowGroupColumnName]);
            var label = ScalarGetters.Single(cursor, schema[labelColumnName]);
            var score = cursor.GetGetter<float>(schema[scoreColumnName]);
            float s = 0;
            for (long row = 0; cursor.MoveNext(); row++)
            {
                long g = group();
                float l = label();
                score(ref s);
                if (!float.IsFinite(s))
                {
                    throw new OverOptConfigurationException($"row {row} has a NaN or infinite score in '{scoreColumnName}'.", scoreColumnName, "drop that comparison or fix its score; scores must be finite.");
                }
                rows.Add((g, l, s, row));
            }
        }
        return PairwiseMetrics.FromMargins(PreferenceData.Pair(rows, labelColumnName, rowGroupColumnName).Select(p => (double)p.Chosen - p.Rejected).ToArray());
    }
}
