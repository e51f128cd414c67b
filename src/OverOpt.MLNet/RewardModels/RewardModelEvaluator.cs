using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.RewardModels;

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
        var margins = PreferenceData.Pair(rows, labelColumnName, rowGroupColumnName).Select(p => (double)p.Chosen - p.Rejected).ToArray();
        double temperature = BestTemperature(margins);
        return new RewardModelMetrics
        {
            Comparisons = margins.Length,
            PairwiseAccuracy = margins.Average(m => m > 0 ? 1.0 : m == 0 ? 0.5 : 0.0),
            BradleyTerryLoss = Loss(margins, temperature),
            UnscaledBradleyTerryLoss = Loss(margins, 1),
            Temperature = temperature,
        };
    }

    /// <summary>Mean -log sigmoid(t * m), computed without overflow.</summary>
    internal static double Loss(IReadOnlyList<double> margins, double temperature)
        => margins.Average(m => Softplus(-temperature * m));

    /// <summary>
    /// The t >= 0 that minimizes the (convex) loss. Golden-section search on [0, 1e3]: where every comparison is ordered
    /// right the loss falls toward 0 without a minimum, and the cap stands for "as sharp as you like".
    /// </summary>
    internal static double BestTemperature(IReadOnlyList<double> margins)
    {
        double low = 0, high = 1e3, ratio = (Math.Sqrt(5) - 1) / 2;
        double a = high - ratio * (high - low), b = low + ratio * (high - low);
        double fa = Loss(margins, a), fb = Loss(margins, b);
        for (int i = 0; i < 200 && high - low > 1e-9 * (1 + high); i++)
        {
            if (fa <= fb)
            {
                (high, b, fb) = (b, a, fa);
                a = high - ratio * (high - low);
                fa = Loss(margins, a);
            }
            else
            {
                (low, a, fa) = (a, b, fb);
                b = low + ratio * (high - low);
                fb = Loss(margins, b);
            }
        }
        return (low + high) / 2;
    }

    private static double Softplus(double x) => x > 0 ? x + double.LogP1(Math.Exp(-x)) : double.LogP1(Math.Exp(x));
}
