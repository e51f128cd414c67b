using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OverOpt.Experiments.Sweeps.Definition;

/// <summary>
/// A dotted path to one field of a pipeline, as a sweep's axis names it: <c>seed</c>, <c>comparisons.count</c>,
/// <c>proxies[0].modelDim</c>, <c>ppo.klCoefficients</c>, or a whole list such as <c>proxies</c>. It works on the
/// pipeline's JSON, not on its C# types, so any field the pipeline gains can be swept without changing the sweep engine.
/// </summary>
public sealed partial class PipelineFieldPath
{
    private readonly IReadOnlyList<Step> _steps;

    private PipelineFieldPath(string text, IReadOnlyList<Step> steps)
    {
        Text = text;
        _steps = steps;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>Parses a path; throws <see cref="FormatException"/> naming what is malformed.</summary>
    public static PipelineFieldPath Parse(string text)
    {
        var steps = new List<Step>();
        foreach (string part in text.Split('.'))
        {
            var match = SegmentPattern().Match(part);
            if (!match.Success)
            {
                throw new FormatException($"'{part}' in '{text}' is not a field name (letters and digits) optionally followed by list indices such as [0].");
            }
            steps.Add(new Step(match.Groups["name"].Value, null));
            foreach (Capture index in match.Groups["index"].Captures)
            {
                steps.Add(new Step(null, int.Parse(index.Value, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        return new PipelineFieldPath(text, steps);
    }

    /// <summary>
    /// Replaces the value at this path in <paramref name="root"/> (a pipeline's full JSON, every field present) with a
    /// copy of <paramref name="value"/>. Throws <see cref="KeyNotFoundException"/> naming the missing field or index and
    /// what exists there.
    /// </summary>
    public void Set(JsonNode root, JsonNode? value)
    {
        JsonNode current = root;
        string where = "the pipeline";
        for (int i = 0; i < _steps.Count; i++)
        {
            var step = _steps[i];
            bool last = i == _steps.Count - 1;
            if (step.Name is { } name)
            {
                if (current is not JsonObject section)
                {
                    throw new KeyNotFoundException($"{where} is {Describe(current)}, not a section with fields, so it has no field '{name}'.");
                }
                if (!section.ContainsKey(name))
                {
                    throw new KeyNotFoundException($"{where} has no field '{name}'; its fields are: {string.Join(", ", section.Select(p => p.Key))}.");
                }
                if (last)
                {
                    section[name] = value?.DeepClone();
                    return;
                }
                current = section[name] ?? throw new KeyNotFoundException($"'{Prefix(i)}' is null in the base pipeline, so it has no fields to set; sweep the whole '{Prefix(i)}' instead.");
            }
            else
            {
                int index = step.Index!.Value;
                if (current is not JsonArray list)
                {
                    throw new KeyNotFoundException($"{where} is {Describe(current)}, not a list, so it has no item [{index}].");
                }
                if (index >= list.Count)
                {
                    throw new KeyNotFoundException($"{where} has {list.Count} item(s) in the base pipeline, so [{index}] does not exist.");
                }
                if (last)
                {
                    list[index] = value?.DeepClone();
                    return;
                }
                current = list[index] ?? throw new KeyNotFoundException($"'{Prefix(i)}' is null in the base pipeline.");
            }
            where = $"'{Prefix(i)}'";
        }
    }

    public override string ToString() => Text;

    private string Prefix(int lastStep)
        => string.Concat(_steps.Take(lastStep + 1).Select((s, k) => s.Name is null ? $"[{s.Index}]" : k == 0 ? s.Name : $".{s.Name}"));

    private static string Describe(JsonNode node) => node switch
    {
        JsonArray => "a list",
        JsonValue v => $"the value {v.ToJsonString()}",
        _ => "a section",
    };

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)(\[(?<index>[0-9]+)\])*$")]
    private static partial Regex SegmentPattern();

    private readonly record struct Step(string? Name, int? Index);
}
