using System.Text;
using System.Text.Json.Nodes;

namespace OverOpt.Experiments.Sweeps.Definition;

/// <summary>One axis of a sweep: a pipeline field (by dotted path) and the values it takes, in the file's order.</summary>
public sealed class SweepAxis
{
    public SweepAxis(PipelineFieldPath path, IReadOnlyList<JsonNode?> values)
    {
        Path = path;
        Values = values;
        ColumnName = ToColumnName(path.Text);
    }

    /// <summary>The pipeline field the axis sets.</summary>
    public PipelineFieldPath Path { get; }

    /// <summary>The values, as JSON (numbers, strings, lists, whole sections, or null).</summary>
    public IReadOnlyList<JsonNode?> Values { get; }

    /// <summary>The axis as a SQL column name: <c>proxies[0].modelDim</c> becomes <c>proxies_0_model_dim</c>.</summary>
    public string ColumnName { get; }

    /// <summary>How the sweep file names the axis, for messages: <c>axes["comparisons.count"]</c>.</summary>
    public string Field => $"axes[\"{Path.Text}\"]";

    private static string ToColumnName(string path)
    {
        var name = new StringBuilder();
        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (char.IsUpper(c) && i > 0 && char.IsLetterOrDigit(path[i - 1]) && !char.IsUpper(path[i - 1]))
            {
                name.Append('_');
            }
            name.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }
        string collapsed = System.Text.RegularExpressions.Regex.Replace(name.ToString(), "_+", "_").Trim('_');
        return collapsed.Length == 0 ? "axis" : collapsed;
    }
}
