using System.Text.Json;
using System.Text.Json.Serialization;

namespace OverOpt.MLNet.Artifacts;

/// <summary>The JSON settings of everything OverOpt writes: camelCase, indented, strict about unknown fields.</summary>
public static class ArchiveJson
{
    /// <summary>The shared serializer options: camelCase names, indented, unknown fields rejected, nulls left out, and NaN and infinities written as named literals.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
