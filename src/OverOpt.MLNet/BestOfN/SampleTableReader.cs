using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.BestOfN;

/// <summary>
/// Reads the prompt id, proxy and gold columns of any IDataView into samples grouped by prompt, in a canonical order
/// that does not depend on the order of the rows: prompts by id (as numbers where every id is one), each prompt's
/// samples by their scores. The bootstrap resamples prompts by position, so row order would otherwise move intervals.
/// Every bad value stops the read with the column and the data row (1-based, a header not counted) that holds it.
/// </summary>
internal static class SampleTableReader
{
    public static (IReadOnlyList<PromptSamples> Prompts, int RepeatedRows) Read(IDataView data, BestOfNEvaluationOptions options)
    {
        var prompt = Find(data.Schema, options.PromptColumnName, "prompt id", "--prompt-column (PromptColumnName)");
        var proxies = options.ProxyColumnNames.Select(name => Find(data.Schema, name, "proxy score", "--proxy-column (ProxyColumnNames)")).ToArray();
        var gold = Find(data.Schema, options.GoldColumnName, "gold score", "--gold-column (GoldColumnName)");
        using var cursor = data.GetRowCursor(proxies.Append(prompt).Append(gold).DistinctBy(c => c.Index));
        var readId = PromptIdReader(cursor, prompt);
        var readProxies = proxies.Select(c => ScoreReader(cursor, c)).ToArray();
        var readGold = ScoreReader(cursor, gold);
        var byId = new Dictionary<string, PromptSamples>(StringComparer.Ordinal);
        var prompts = new List<PromptSamples>();
        int repeated = 0;
        while (cursor.MoveNext())
        {
            long row = cursor.Position + 1;
            string id = readId(row);
            if (!byId.TryGetValue(id, out var samples))
            {
                samples = new PromptSamples(id);
                byId.Add(id, samples);
                prompts.Add(samples);
            }
            var proxyScores = readProxies.Select(read => read(row)).ToArray();
            if (!samples.Add(proxyScores, readGold(row)))
            {
                repeated++;
            }
        }
        if (prompts.Count == 0)
        {
            throw new OverOptConfigurationException("the data has no rows.", options.PromptColumnName, "give one row per sample: prompt id, proxy score(s), gold score.");
        }
        foreach (var samples in prompts)
        {
            samples.SortByScores();
        }
        return (Canonical(prompts), repeated);
    }

    private static List<PromptSamples> Canonical(List<PromptSamples> prompts)
    {
        var numbers = prompts.Select(p => (Prompt: p, Parsed: double.TryParse(p.Id, NumberStyles.Float, CultureInfo.InvariantCulture, out double v), Value: v)).ToList();
        return numbers.All(n => n.Parsed)
            ? numbers.OrderBy(n => n.Value).ThenBy(n => n.Prompt.Id, StringComparer.Ordinal).Select(n => n.Prompt).ToList()
            : prompts.OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role, string option)
    {
        if (schema.GetColumnOrNull(name) is { } column && !column.IsHidden)
        {
            return column;
        }
        string present = string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"));
        throw new OverOptConfigurationException(
            $"there is no {role} column '{name}'; the columns present are {(present.Length == 0 ? "none" : present)}.",
            name, $"name the {role} column with {option}, or rename the column (names are case-sensitive).");
    }

    /// <summary>Prompt ids may be text or numbers (any ML.NET number or key type); they are compared as text.</summary>
    private static Func<long, string> PromptIdReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var type = column.Type;
        Func<string?> read = type switch
        {
            TextDataViewType => ScalarGetters.Read<ReadOnlyMemory<char>, string?>(cursor, column, v => v.Span.Trim().IsEmpty ? null : v.ToString()),
            BooleanDataViewType => ScalarGetters.Read<bool, string?>(cursor, column, v => v ? "true" : "false"),
            KeyDataViewType => Integer(cursor, column, v => v == 0 ? null : v.ToString(CultureInfo.InvariantCulture)),
            NumberDataViewType when type.RawType == typeof(float) => ScalarGetters.Read<float, string?>(cursor, column, v => float.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : null),
            NumberDataViewType when type.RawType == typeof(double) => ScalarGetters.Read<double, string?>(cursor, column, v => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : null),
            NumberDataViewType => Integer(cursor, column, v => v.ToString(CultureInfo.InvariantCulture)),
            _ => throw new OverOptConfigurationException(
                $"the prompt id column '{column.Name}' holds {type}; prompt ids must be text or numbers.", column.Name, "name a column of text or numbers with --prompt-column (PromptColumnName)."),
        };
        return row => read() ?? throw new OverOptConfigurationException(
            $"column '{column.Name}', data row {row} has no prompt id (empty or missing).", column.Name, "give every row the id of the prompt its sample answers.");
    }

    /// <summary>Scores may be any ML.NET number type, or text holding a number (so that files can be read as text and every bad value named by row).</summary>
    private static Func<long, float> ScoreReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var type = column.Type;
        Func<(double Value, string? Text)> read = type switch
        {
            TextDataViewType => ScalarGetters.Read<ReadOnlyMemory<char>, (double, string?)>(cursor, column, Parse),
            NumberDataViewType when type.RawType == typeof(float) => ScalarGetters.Read<float, (double, string?)>(cursor, column, v => (v, null)),
            NumberDataViewType when type.RawType == typeof(double) => ScalarGetters.Read<double, (double, string?)>(cursor, column, v => (v, null)),
            NumberDataViewType => Integer(cursor, column, v => ((double)v, (string?)null)),
            _ => throw new OverOptConfigurationException(
                $"the score column '{column.Name}' holds {type}, not numbers.", column.Name, "name a column of numbers (or of text holding numbers)."),
        };
        return row =>
        {
            var (value, text) = read();
            var (problem, fix) = text is not null
                ? (text.Length == 0 ? ("is empty (no value)", "give every sample a score, or remove its row.") : ($"holds '{text}', which is not a number", "write every score as a number, with '.' as the decimal point."))
                : double.IsNaN(value) ? ("is NaN (a missing or undefined score)", "remove or rescore the sample (a diverged reward model gives NaN).")
                : !float.IsFinite((float)value) ? ($"is {value.ToString(CultureInfo.InvariantCulture)}, infinite or beyond a float's range (3.4e38)", "remove or rescore the sample; scores must be finite.")
                : ((string?)null, "");
            return problem is null ? (float)value : throw new OverOptConfigurationException($"column '{column.Name}', data row {row} {problem}.", column.Name, fix);
        };
    }

    /// <summary>A number parsed from text; the text comes back only when it is not a number, for the message.</summary>
    private static (double, string?) Parse(ReadOnlyMemory<char> text)
    {
        var span = text.Span.Trim();
        // float.TryParse, not double: a float written as text (e.g. "R" format) must come back as the same float.
        return float.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) ? (value, null) : (double.NaN, span.ToString());
    }

    private static Func<TOut> Integer<TOut>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<long, TOut> convert)
    {
        var read = ScalarGetters.Int64(cursor, column);
        return () => convert(read());
    }
}
