using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Comparisons;

/// <summary>Converts comparison rows to preference rows and reads preference rows back into pairs, checking them first.</summary>
public static class PreferenceData
{
    /// <summary>Two preference rows per comparison (chosen first), the i-th comparison in group i.</summary>
    public static IEnumerable<PreferenceRow> FromComparisons(IEnumerable<ComparisonRow> comparisons)
        => comparisons.SelectMany((c, i) => new[]
        {
            new PreferenceRow { GroupId = (uint)i, Label = 1, PromptTokens = c.PromptTokens, ResponseTokens = c.ChosenTokens, Gold = c.ChosenGold },
            new PreferenceRow { GroupId = (uint)i, Label = 0, PromptTokens = c.PromptTokens, ResponseTokens = c.RejectedTokens, Gold = c.RejectedGold },
        });

    /// <summary>
    /// The comparisons in <paramref name="data"/> (preference rows named by <paramref name="columns"/>), in the order
    /// their groups first appear. Errors name the column, the row or group, and the fix.
    /// </summary>
    internal static IReadOnlyList<ComparisonRow> ReadPairs(MLContext mlContext, IDataView data, RewardColumns columns, string purpose)
    {
        RequireColumns(data.Schema, columns, purpose);
        bool hasGold = data.Schema.GetColumnOrNull(RewardColumnDefaults.Gold) is { Type: NumberDataViewType t } && t == NumberDataViewType.Single;
        var members = new List<(long Group, float Label, (int[] Prompt, int[] Response, float Gold) Item, long Row)>();
        var schema = data.Schema;
        var wanted = new[] { schema[columns.GroupId], schema[columns.Label], schema[columns.Prompt], schema[columns.Response] }
            .Concat(hasGold ? [schema[RewardColumnDefaults.Gold]] : []);
        using (var cursor = data.GetRowCursor(wanted))
        {
            var group = ScalarGetters.Int64(cursor, schema[columns.GroupId]);
            var label = ScalarGetters.Single(cursor, schema[columns.Label]);
            var prompt = cursor.GetGetter<VBuffer<int>>(schema[columns.Prompt]);
            var response = cursor.GetGetter<VBuffer<int>>(schema[columns.Response]);
            var gold = hasGold ? cursor.GetGetter<float>(schema[RewardColumnDefaults.Gold]) : null;
            float goldValue = 0;
            VBuffer<int> p = default, r = default;
            for (long row = 0; cursor.MoveNext(); row++)
            {
                long g = group();
                float l = label();
                prompt(ref p);
                response(ref r);
                gold?.Invoke(ref goldValue);
                members.Add((g, l, (p.DenseValues().ToArray(), r.DenseValues().ToArray(), goldValue), row));
            }
        }
        var pairs = new List<ComparisonRow>();
        foreach (var (g, chosen, rejected) in Pair(members, columns.Label, columns.GroupId))
        {
            if (chosen.Response.Length == 0 || chosen.Response.Length != rejected.Response.Length)
            {
                throw new OverOptConfigurationException(
                    $"group {g} has responses of {chosen.Response.Length} and {rejected.Response.Length} tokens; both must be non-empty and of one fixed length.",
                    columns.Response, "sample both responses of a comparison with the same response length.");
            }
            if (!chosen.Prompt.AsSpan().SequenceEqual(rejected.Prompt))
            {
                throw new OverOptConfigurationException($"group {g} pairs responses to two different prompts.", columns.Prompt, "compare two responses to the same prompt within a group.");
            }
            pairs.Add(new ComparisonRow
            {
                PromptTokens = chosen.Prompt, ChosenTokens = chosen.Response, RejectedTokens = rejected.Response, ChosenGold = chosen.Gold, RejectedGold = rejected.Gold,
            });
        }
        return pairs;
    }

    /// <summary>
    /// Rows grouped into comparisons (chosen, rejected) in the order their groups first appear. Errors name the row
    /// or group: a non-finite label, a group without exactly two rows, or two rows with one label.
    /// </summary>
    internal static IReadOnlyList<(long Group, T Chosen, T Rejected)> Pair<T>(IEnumerable<(long Group, float Label, T Item, long Row)> rows, string labelColumn, string groupColumn)
    {
        var groups = new Dictionary<long, List<(float Label, T Item, long Row)>>();
        var order = new List<long>();
        foreach (var (group, label, item, row) in rows)
        {
            if (!float.IsFinite(label))
            {
                throw new OverOptConfigurationException($"row {row} has a missing or non-finite label.", labelColumn, "give every row label 1 (chosen) or 0 (rejected).");
            }
            if (!groups.TryGetValue(group, out var members))
            {
                groups[group] = members = [];
                order.Add(group);
            }
            members.Add((label, item, row));
        }
        if (order.Count == 0)
        {
            throw new OverOptConfigurationException("the data has no rows.", groupColumn, "give at least one comparison (two rows sharing a group id).");
        }
        var pairs = new List<(long, T, T)>(order.Count);
        foreach (long g in order)
        {
            var members = groups[g];
            if (members.Count != 2 || members[0].Label == members[1].Label)
            {
                throw new OverOptConfigurationException(
                    members.Count != 2
                        ? $"group {g} (first at row {members[0].Row}) has {members.Count} rows; a comparison has exactly two."
                        : $"group {g} (rows {members[0].Row} and {members[1].Row}) has two rows with the same label {members[0].Label}.",
                    members.Count != 2 ? groupColumn : labelColumn,
                    "give each comparison exactly two rows with one group id, label 1 on the chosen response and 0 on the rejected (mlContext.RewardModels().ToPreferenceRows converts comparison rows).");
            }
            var (chosen, rejected) = members[0].Label > members[1].Label ? (members[0], members[1]) : (members[1], members[0]);
            pairs.Add((g, chosen.Item, rejected.Item));
        }
        return pairs;
    }

    /// <summary>The checks of <see cref="ReadPairs"/> on an estimator's input shape.</summary>
    internal static void RequireColumns(SchemaShape shape, RewardColumns columns, string purpose)
    {
        RewardDataChecks.RequireTokenColumn(shape, columns.Prompt, purpose);
        RewardDataChecks.RequireTokenColumn(shape, columns.Response, purpose);
        RewardDataChecks.RequireScalar(shape, columns.Label, purpose, LabelTypes, IsLabelType);
        RewardDataChecks.RequireScalar(shape, columns.GroupId, purpose, GroupTypes, IsGroupType);
    }

    private const string LabelTypes = "Single, Double (1 chosen, 0 rejected) or Boolean";
    private const string GroupTypes = "an integer or key type";

    private static bool IsLabelType(DataViewType t) => t == NumberDataViewType.Single || t == NumberDataViewType.Double || t == BooleanDataViewType.Instance;

    private static bool IsGroupType(DataViewType t) => t is KeyDataViewType || (t is NumberDataViewType n && n.RawType != typeof(float) && n.RawType != typeof(double));

    internal static void RequireLabelAndGroup(DataViewSchema schema, string label, string group, string purpose)
    {
        RewardDataChecks.RequireScalar(schema, label, purpose, LabelTypes, IsLabelType);
        RewardDataChecks.RequireScalar(schema, group, purpose, GroupTypes, IsGroupType);
    }

    private static void RequireColumns(DataViewSchema schema, RewardColumns columns, string purpose)
    {
        if (schema.GetColumnOrNull(columns.Response) is null && schema.GetColumnOrNull(ComparisonRow.ChosenColumn) is not null)
        {
            throw new OverOptConfigurationException(
                $"{purpose} reads preference rows (two rows per comparison), but the data holds comparison rows ('{ComparisonRow.ChosenColumn}', '{ComparisonRow.RejectedColumn}').",
                columns.Response, "convert them with mlContext.RewardModels().ToPreferenceRows(data).");
        }
        RewardDataChecks.RequireTokenColumn(schema, columns.Prompt, purpose);
        RewardDataChecks.RequireTokenColumn(schema, columns.Response, purpose);
        RequireLabelAndGroup(schema, columns.Label, columns.GroupId, purpose);
    }
}
