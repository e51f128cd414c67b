using System.Text.Json;
using System.Text.Json.Nodes;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Experiments.Sweeps.Definition;

/// <summary>
/// Reads sweep files (JSON, comments and trailing commas allowed):
/// <code>{ "name": "rm-size-seeds", "base": "quick.json", "axes": { "seed": [1, 2, 3], "proxies[0].modelDim": [8, 16] } }</code>
/// Each task is the base pipeline with one value of every axis set at its dotted path, checked by the pipeline's own
/// strict loader. Every error names the sweep file, the field (for an axis, <c>axes["path"]</c>) and the fix.
/// A sweep of sweeps lists other sweep files instead of a base and axes:
/// <code>{ "name": "paper", "sweeps": [ "rm-size.sweep.json", "data-size.sweep.json" ] }</code>
/// Its tasks are the parts' tasks in the listed order, numbered on (a part's task i is task offset + i), each marked
/// with its part; a configuration that an earlier part already has is run once, under the earlier part's task.
/// </summary>
public static class SweepLoader
{
    /// <summary>More tasks than this is a mistake in the file rather than a sweep (and more than a Slurm array holds).</summary>
    public const int MaxTasks = 100_000;

    private static readonly string[] Fields = ["name", "base", "axes", "sweeps"];

    /// <summary>Loads and checks a sweep file and every task of its grid.</summary>
    /// <exception cref="OverOptConfigurationException">The file, an axis or a task is invalid (the message names the file, the field and the fix).</exception>
    public static SweepDefinition Load(string path)
    {
        string file = Path.GetFullPath(path);
        if (!File.Exists(file))
        {
            throw new OverOptConfigurationException($"the sweep file '{path}' does not exist.", "(file)", "pass the path of a sweep file, e.g. pipelines/quick-seeds.sweep.json.", path);
        }
        var root = ParseObject(File.ReadAllText(file), path);
        foreach (var field in root)
        {
            if (!Fields.Contains(field.Key))
            {
                throw new OverOptConfigurationException($"unknown field '{field.Key}'.", field.Key,
                    $"remove it, or use one of: {string.Join(", ", Fields)} (pipeline fields are swept under 'axes' by their dotted path).", path);
            }
        }
        string name = Name(root, file, path);
        if (root.ContainsKey("sweeps"))
        {
            return Union(root, name, file, path);
        }
        string baseFile = BaseFile(root, file, path);
        var axes = Axes(root, path);

        PipelineDefinition basePipeline = PipelineLoader.Parse(File.ReadAllText(baseFile), baseFile);
        JsonNode baseNode = CanonicalJson.ToNode(basePipeline);
        long count = axes.Aggregate(1L, (product, axis) => product * axis.Values.Count);
        if (count > MaxTasks)
        {
            throw new OverOptConfigurationException($"the axes make {count:N0} tasks, more than {MaxTasks:N0}.", "axes", "sweep fewer values, or split the study into several sweep files.", path);
        }
        var tasks = new List<SweepTask>((int)count);
        for (int index = 0; index < count; index++)
        {
            tasks.Add(Task(index, axes, baseNode, baseFile, path));
        }
        var byHash = new Dictionary<string, SweepTask>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            if (byHash.TryGetValue(task.Hash, out var twin))
            {
                throw new OverOptConfigurationException(
                    $"tasks {twin.Index} ({twin.Label}) and {task.Index} ({task.Label}) have the same configuration, so one would only repeat the other.",
                    "axes", "remove the value or the axis that overlaps another (an axis on a whole list overrides axes on its items).", path);
            }
            byHash.Add(task.Hash, task);
        }
        return new SweepDefinition(name, file, baseFile, axes, tasks);
    }

    /// <summary>A sweep of sweeps: the parts' tasks one after another, a configuration listed twice run once.</summary>
    private static SweepDefinition Union(JsonObject root, string name, string file, string path)
    {
        foreach (string field in new[] { "base", "axes" })
        {
            if (root.ContainsKey(field))
            {
                throw new OverOptConfigurationException($"a sweep of sweeps has no '{field}': each listed sweep has its own base and axes.", field,
                    "remove it, or remove 'sweeps' and write one grid with \"base\" and \"axes\".", path);
            }
        }
        if (root["sweeps"] is not JsonArray list || list.Count == 0)
        {
            throw new OverOptConfigurationException("'sweeps' is not a non-empty list of sweep files.", "sweeps",
                "write \"sweeps\": [ \"rm-size.sweep.json\", \"data-size.sweep.json\" ] (paths relative to this file's folder).", path);
        }
        var parts = new List<SweepDefinition>();
        for (int i = 0; i < list.Count; i++)
        {
            string field = $"sweeps[{i}]";
            if (list[i] is not JsonValue value || !value.TryGetValue(out string? relative) || string.IsNullOrWhiteSpace(relative))
            {
                throw new OverOptConfigurationException("a listed sweep is not a file name.", field, "write the sweep file's path as a string, relative to this file's folder.", path);
            }
            string partFile = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, relative));
            if (!File.Exists(partFile))
            {
                throw new OverOptConfigurationException($"the sweep file '{relative}' does not exist (looked for {partFile}).", field,
                    "name a sweep file relative to this file's folder, e.g. \"rm-size.sweep.json\".", path);
            }
            if (partFile == file || ParseObject(File.ReadAllText(partFile), relative).ContainsKey("sweeps"))
            {
                throw new OverOptConfigurationException($"'{relative}' is itself a sweep of sweeps; parts are grids (a base and axes).", field,
                    "list the grids that sweep lists instead.", path);
            }
            var part = Load(partFile);
            if (parts.Any(p => p.Name == part.Name))
            {
                throw new OverOptConfigurationException($"two parts are named '{part.Name}'.", field, "give each listed sweep its own \"name\".", path);
            }
            parts.Add(part);
        }
        var tasks = new List<SweepTask>();
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var task in part.Tasks.Where(t => hashes.Add(t.Hash)))
            {
                tasks.Add(new SweepTask(tasks.Count, task.Overrides, task.Pipeline, task.ConfigurationJson, part.Name));
            }
        }
        if (tasks.Count > MaxTasks)
        {
            throw new OverOptConfigurationException($"the parts make {tasks.Count:N0} tasks, more than {MaxTasks:N0}.", "sweeps", "list fewer or smaller sweeps.", path);
        }
        // One axis per path any part sweeps, with every value any part gives it (a task of a part without it has none).
        var axes = new List<SweepAxis>();
        foreach (var group in parts.SelectMany(p => p.Axes).GroupBy(a => a.Path.Text))
        {
            var values = new List<JsonNode?>();
            foreach (var v in group.SelectMany(a => a.Values).Where(v => !values.Any(w => JsonNode.DeepEquals(v, w))))
            {
                values.Add(v);
            }
            axes.Add(new SweepAxis(group.First().Path, values));
        }
        return new SweepDefinition(name, file, "", axes, tasks, parts);
    }

    private static JsonObject ParseObject(string json, string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new OverOptConfigurationException($"not valid JSON at line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}.", "(document)",
                "correct the JSON syntax there (quotes around names, commas between fields, matching braces).", path, e);
        }
        JsonDuplicateKeys.Refuse(json, path);
        return node as JsonObject ?? throw new OverOptConfigurationException("the document is not a JSON object.", "(document)",
            "write the sweep as { \"base\": \"quick.json\", \"axes\": { \"seed\": [1, 2, 3] } }.", path);
    }

    private static string BaseFile(JsonObject root, string file, string path)
    {
        if (root["base"] is not JsonValue value || !value.TryGetValue(out string? relative) || string.IsNullOrWhiteSpace(relative))
        {
            throw new OverOptConfigurationException("the sweep names no base pipeline.", "base",
                "add \"base\": \"quick.json\" (a pipeline file, relative to the sweep file's folder).", path);
        }
        string full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, relative));
        if (!File.Exists(full))
        {
            throw new OverOptConfigurationException($"the base pipeline '{relative}' does not exist (looked for {full}).", "base",
                "name a pipeline file relative to the sweep file's folder, e.g. \"quick.json\".", path);
        }
        return full;
    }

    private static string Name(JsonObject root, string file, string path)
    {
        string name = Path.GetFileNameWithoutExtension(file);
        if (root["name"] is { } node)
        {
            if (node is not JsonValue value || !value.TryGetValue(out string? text))
            {
                throw new OverOptConfigurationException("name is not a string.", "name", "write \"name\": \"my-sweep\", or leave it out to use the file's name.", path);
            }
            name = text;
        }
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Any(char.IsWhiteSpace))
        {
            throw new OverOptConfigurationException($"name '{name}' cannot name an output folder and scheduler jobs.", "name", "use letters, digits, '.', '-' or '_'.", path);
        }
        return name;
    }

    private static List<SweepAxis> Axes(JsonObject root, string path)
    {
        if (root["axes"] is not JsonObject axesNode || axesNode.Count == 0)
        {
            throw new OverOptConfigurationException("the sweep has no axes (or 'axes' is not an object).", "axes",
                "add \"axes\": { \"<pipeline field path>\": [values...] }, e.g. { \"seed\": [1, 2, 3], \"comparisons.count\": [1000, 5000] }.", path);
        }
        var axes = new List<SweepAxis>();
        foreach (var (key, valuesNode) in axesNode)
        {
            string field = $"axes[\"{key}\"]";
            PipelineFieldPath fieldPath;
            try
            {
                fieldPath = PipelineFieldPath.Parse(key);
            }
            catch (FormatException e)
            {
                throw new OverOptConfigurationException(e.Message, field, "name a pipeline field by its dotted path, e.g. \"comparisons.count\" or \"proxies[0].modelDim\".", path);
            }
            if (valuesNode is not JsonArray values || values.Count == 0)
            {
                throw new OverOptConfigurationException("an axis takes a non-empty list of values.", field,
                    $"write \"{key}\": [value1, value2, ...] (a list field's values are lists themselves: [[...], [...]]).", path);
            }
            for (int i = 0; i < values.Count; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    if (JsonNode.DeepEquals(values[i], values[j]))
                    {
                        throw new OverOptConfigurationException($"the value {values[i]?.ToJsonString() ?? "null"} is listed twice (items {j} and {i}).", field, "list each value once.", path);
                    }
                }
            }
            axes.Add(new SweepAxis(fieldPath, values.Select(v => v?.DeepClone()).ToList()));
        }
        return axes;
    }

    private static SweepTask Task(int index, IReadOnlyList<SweepAxis> axes, JsonNode baseNode, string baseFile, string path)
    {
        // Row-major: the last axis varies fastest.
        var picks = new int[axes.Count];
        int rest = index;
        for (int a = axes.Count - 1; a >= 0; a--)
        {
            picks[a] = rest % axes[a].Values.Count;
            rest /= axes[a].Values.Count;
        }
        var node = baseNode.DeepClone();
        var overrides = new List<SweepOverride>();
        for (int a = 0; a < axes.Count; a++)
        {
            var item = new SweepOverride(axes[a], axes[a].Values[picks[a]]);
            try
            {
                axes[a].Path.Set(node, item.Value);
            }
            catch (KeyNotFoundException e)
            {
                throw new OverOptConfigurationException($"the base pipeline {Path.GetFileName(baseFile)} has no such field: {e.Message}", axes[a].Field,
                    "name a field the pipeline has, by its dotted path (lists by index, e.g. \"proxies[0].modelDim\").", path);
            }
            overrides.Add(item);
        }
        PipelineDefinition pipeline;
        try
        {
            pipeline = PipelineLoader.Parse(node.ToJsonString(CanonicalJson.Options), path);
        }
        catch (OverOptConfigurationException e)
        {
            // Blame the axis whose path is closest to the bad field (a later axis on ties); the message lists every value.
            var culprit = overrides.MaxBy(o => (CommonPrefix(o.Axis.Path.Text, e.Field), overrides.IndexOf(o)))!;
            string values = string.Join(", ", overrides);
            throw new OverOptConfigurationException(
                $"task {index} ({values}) is not a valid pipeline: field '{e.Field}': {e.Problem}", culprit.Axis.Field, e.Fix, path, e);
        }
        string canonical = CanonicalJson.ToText(pipeline);
        try
        {
            PipelineLoader.ResolveCorpus(pipeline, baseFile);
        }
        catch (OverOptConfigurationException e)
        {
            var corpusAxis = overrides.FirstOrDefault(o => o.Axis.Path.Text == "corpus");
            throw corpusAxis is null ? e : new OverOptConfigurationException($"task {index}: {e.Problem}", corpusAxis.Axis.Field, e.Fix, path, e);
        }
        return new SweepTask(index, overrides, pipeline, canonical);
    }

    private static int CommonPrefix(string a, string b)
    {
        int n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n])
        {
            n++;
        }
        return n;
    }
}
