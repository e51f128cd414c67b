using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Experiments.Settings;

/// <summary>
/// Reads pipeline files (JSON, comments and trailing commas allowed). Every error names the file, the dotted field
/// and the fix: malformed JSON, a field given twice, unknown fields (with the known ones listed), wrong types and impossible values.
/// </summary>
public static class PipelineLoader
{
    private static readonly JsonSerializerOptions Options = new(ArchiveJson.Options)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static PipelineDefinition Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new OverOptConfigurationException($"the pipeline file '{path}' does not exist.", "(file)", "pass the path of a pipeline file, e.g. pipelines/quick.json.", path);
        }
        var definition = Parse(File.ReadAllText(path), path);
        ResolveCorpus(definition, path);
        return definition;
    }

    /// <summary>
    /// Makes a relative <c>corpus</c> path absolute, read from the folder of <paramref name="pipelineFile"/>, and checks
    /// that the file exists (errors name <paramref name="pipelineFile"/>).
    /// </summary>
    public static void ResolveCorpus(PipelineDefinition definition, string pipelineFile)
    {
        if (definition.Corpus is not null && !Path.IsPathRooted(definition.Corpus))
        {
            definition.Corpus = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(pipelineFile))!, definition.Corpus));
        }
        if (definition.Corpus is not null && !File.Exists(definition.Corpus))
        {
            throw new OverOptConfigurationException(
                $"the corpus file '{definition.Corpus}' does not exist (relative paths are read from the pipeline file's folder).",
                "corpus", "point 'corpus' at a UTF-8 text file with one story per line, or remove the field to use the bundled corpus.", pipelineFile);
        }
    }

    /// <summary>Parses and validates pipeline JSON; <paramref name="file"/> only labels errors.</summary>
    public static PipelineDefinition Parse(string json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new OverOptConfigurationException(
                $"not valid JSON at line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}",
                "(document)", "correct the JSON syntax there (quotes around names, commas between fields, matching braces).", file, e);
        }
        JsonDuplicateKeys.Refuse(json, file);
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new OverOptConfigurationException("the document is not a JSON object.", "(document)", "write the pipeline as { \"name\": ..., ... }.", file);
            }
            CheckKnownFields(document.RootElement, typeof(PipelineDefinition), "", file);
        }
        PipelineDefinition definition;
        try
        {
            definition = JsonSerializer.Deserialize<PipelineDefinition>(json, Options) ?? new PipelineDefinition();
        }
        catch (JsonException e)
        {
            string field = (e.Path ?? "$").TrimStart('$').TrimStart('.');
            throw new OverOptConfigurationException(
                $"the value at line {e.LineNumber + 1} has the wrong type ({FirstSentence(e.Message)})",
                field.Length == 0 ? "(document)" : field,
                "write a number for counts and rates, a string for names and paths, a list [...] for policies.", file, e);
        }
        try
        {
            definition.Validate();
        }
        catch (OverOptConfigurationException e)
        {
            throw e.InFile(file);
        }
        return definition;
    }

    private static void CheckKnownFields(JsonElement element, Type type, string path, string file)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), StringComparer.Ordinal);
        foreach (var field in element.EnumerateObject())
        {
            string fieldPath = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
            if (!properties.TryGetValue(field.Name, out var property))
            {
                var close = properties.Keys.MinBy(k => EditDistance(k.ToLowerInvariant(), field.Name.ToLowerInvariant()));
                if (close is not null && EditDistance(close.ToLowerInvariant(), field.Name.ToLowerInvariant()) > 2)
                {
                    close = null;
                }
                string hint = close is null ? "" : $"did you mean '{close}'? ";
                throw new OverOptConfigurationException(
                    $"unknown field '{field.Name}'.",
                    fieldPath,
                    $"{hint}remove it, or use one of: {string.Join(", ", properties.Keys)}.", file);
            }
            var propertyType = property.PropertyType;
            if (field.Value.ValueKind == JsonValueKind.Object && IsSection(propertyType))
            {
                CheckKnownFields(field.Value, propertyType, fieldPath, file);
            }
            else if (field.Value.ValueKind == JsonValueKind.Array && propertyType.IsGenericType && IsSection(propertyType.GetGenericArguments()[0]))
            {
                int index = 0;
                foreach (var item in field.Value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        CheckKnownFields(item, propertyType.GetGenericArguments()[0], $"{fieldPath}[{index}]", file);
                    }
                    index++;
                }
            }
        }
    }

    private static bool IsSection(Type type) => type.IsClass && type != typeof(string) && !type.IsArray && !type.IsGenericType;

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            previous = current;
        }
        return previous[b.Length];
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
