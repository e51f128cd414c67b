using System.Text.Json.Nodes;

namespace OverOpt.Experiments.Sweeps.Definition;

/// <summary>The value one axis gives one task.</summary>
public sealed record SweepOverride(SweepAxis Axis, JsonNode? Value)
{
    /// <summary>The value as compact JSON.</summary>
    public string ValueJson => Value?.ToJsonString() ?? "null";

    /// <summary>
    /// A short label for tables: a number or string as it is, a list of named sections by their names
    /// (<c>[tf-1x8,tf-3x64]</c>), anything else as JSON cut to 48 characters.
    /// </summary>
    public string ValueLabel => Value switch
    {
        JsonValue v when v.TryGetValue(out string? text) => text,
        JsonArray list when list.Count > 0 && list.All(i => i is JsonObject o && o["name"] is JsonValue) =>
            $"[{string.Join(",", list.Select(i => i!["name"]!.ToString()))}]",
        _ => ValueJson.Length <= 48 ? ValueJson : ValueJson[..45] + "...",
    };

    /// <summary><c>path=value</c>.</summary>
    public override string ToString() => $"{Axis.Path.Text}={ValueLabel}";
}
