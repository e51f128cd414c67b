using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using OverOpt.MLNet.Artifacts;

namespace OverOpt.Experiments.Sweeps.Definition;

/// <summary>
/// One text per configuration: compact JSON with every object's fields sorted by name (ordinal), every field written
/// (nulls included, so that a null section such as <c>"gold": null</c> is not read back as its default), and its
/// SHA-256. Two configurations that load to the same pipeline have the same text, whatever their files' order,
/// spacing or comments. The one exception: a field marked <see cref="OmittedWhileNullAttribute"/> (a field added after
/// sweeps were hashed, whose null means "as before") is left out of the text while it is null, so the tasks of
/// existing sweeps keep their hashes; <see cref="ToNode{T}"/> still writes it, so an axis can set it.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The pipeline's JSON settings, with nulls written.</summary>
    public static readonly JsonSerializerOptions Options = new(ArchiveJson.Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    /// <summary><see cref="Options"/>, but fields marked <see cref="OmittedWhileNullAttribute"/> are left out while null.</summary>
    private static readonly JsonSerializerOptions TextOptions = new(Options)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitMarkedNulls } },
    };

    /// <summary>An object as a JSON tree, every field written.</summary>
    public static JsonNode ToNode<T>(T value)
        => JsonSerializer.SerializeToNode(value, Options) ?? throw new ArgumentException("A configuration cannot be null.", nameof(value));

    /// <summary>The canonical text of a JSON tree.</summary>
    public static string ToText(JsonNode? node) => Sorted(node)?.ToJsonString(Options) ?? "null";

    /// <summary>The canonical text of an object (fields marked <see cref="OmittedWhileNullAttribute"/> left out while null).</summary>
    public static string ToText<T>(T value)
        => ToText(JsonSerializer.SerializeToNode(value, TextOptions) ?? throw new ArgumentException("A configuration cannot be null.", nameof(value)));

    /// <summary>Lower-case hexadecimal SHA-256 of the text's UTF-8 bytes.</summary>
    public static string Hash(string canonicalText) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalText))).ToLowerInvariant();

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sorted).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };

    private static void OmitMarkedNulls(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (property.AttributeProvider?.IsDefined(typeof(OmittedWhileNullAttribute), inherit: false) == true)
            {
                property.ShouldSerialize = (_, value) => value is not null;
            }
        }
    }
}

/// <summary>
/// Marks a configuration field that <see cref="CanonicalJson.ToText{T}"/> leaves out while it is null: a field added
/// after sweeps were hashed whose null keeps the old meaning, so existing tasks keep their hashes and results.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OmittedWhileNullAttribute : Attribute
{
}
