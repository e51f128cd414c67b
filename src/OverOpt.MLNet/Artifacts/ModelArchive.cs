using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace OverOpt.MLNet.Artifacts;

/// <summary>
/// The .zip container every OverOpt model is saved in: a JSON manifest (kind, format version, SHA-256 of each
/// payload entry) plus payload entries. Reading checks all of it, so a truncated, foreign or tampered file is
/// reported as such instead of loading wrong.
/// </summary>
public static class ModelArchive
{
    /// <summary>Name of the manifest entry in every archive (kind, format version and the SHA-256 of every other entry); a .zip without it was not written by OverOpt.</summary>
    public const string ManifestEntry = "overopt.manifest.json";

    /// <summary>Writes <paramref name="entries"/> and a manifest of <paramref name="kind"/> and <paramref name="formatVersion"/> atomically to <paramref name="path"/>.</summary>
    /// <param name="path">The .zip to write.</param>
    /// <param name="kind">What the archive holds.</param>
    /// <param name="formatVersion">The layout version of that kind.</param>
    /// <param name="entries">Payload entries.</param>
    /// <param name="host">Writes a zip first (e.g. ML.NET's <c>Model.Save</c>) whose entries the archive keeps, so that ML.NET still reads the file as its own model; the manifest covers them too.</param>
    public static void Write(string path, string kind, int formatVersion, IReadOnlyDictionary<string, byte[]> entries, Action<Stream>? host = null)
    {
        using var buffer = new MemoryStream();
        host?.Invoke(buffer);
        var all = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (buffer.Length > 0)
        {
            buffer.Position = 0;
            using var hosted = new ZipArchive(buffer, ZipArchiveMode.Read, leaveOpen: true);
            foreach (var entry in hosted.Entries)
            {
                all[entry.FullName] = ReadEntry(entry);
            }
        }
        foreach (var (name, bytes) in entries)
        {
            all[name] = bytes;
        }
        var manifest = new ArchiveManifest
        {
            Kind = kind,
            FormatVersion = formatVersion,
            Entries = all.ToDictionary(e => e.Key, e => Sha256(e.Value)),
        };
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            WriteEntry(zip, ManifestEntry, JsonSerializer.SerializeToUtf8Bytes(manifest, ArchiveJson.Options));
            foreach (var (name, bytes) in all)
            {
                WriteEntry(zip, name, bytes);
            }
        });
    }

    /// <summary>Reads and verifies every entry of an archive of <paramref name="kind"/> written with <paramref name="formatVersion"/>.</summary>
    /// <exception cref="InvalidDataException">The file is missing, not a zip, truncated, of another kind or version, or an entry's hash differs.</exception>
    public static IReadOnlyDictionary<string, byte[]> Read(string path, string kind, int formatVersion)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: no such model file.");
        }
        Dictionary<string, byte[]> entries;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            entries = zip.Entries.ToDictionary(e => e.FullName, ReadEntry);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException or OverflowException)
        {
            // A damaged zip fails in many ways: a bad header, an unknown compression method, a size out of range.
            throw new InvalidDataException($"{path}: not a readable model archive (truncated, damaged or not a .zip): {e.Message} Fix: save the model again.", e);
        }
        if (!entries.TryGetValue(ManifestEntry, out var manifestBytes))
        {
            throw new InvalidDataException($"{path}: has no {ManifestEntry}, so it was not written by OverOpt.MLNet. Fix: save the model with OverOpt.MLNet's Save.");
        }
        ArchiveManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ArchiveManifest>(manifestBytes, ArchiveJson.Options)
                ?? throw new InvalidDataException("it is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the manifest is not valid JSON (a damaged file): {e.Message} Fix: save the model again.", e);
        }
        if (manifest.Entries is null || manifest.Kind is null)
        {
            throw new InvalidDataException($"{path}: the manifest lacks its kind or entries (a damaged file). Fix: save the model again.");
        }
        if (manifest.Kind != kind)
        {
            throw new InvalidDataException($"{path}: holds a '{manifest.Kind}', not a '{kind}'. Fix: load it with the loader for '{manifest.Kind}'.");
        }
        if (manifest.FormatVersion != formatVersion)
        {
            throw new InvalidDataException($"{path}: format version {manifest.FormatVersion}, but this build reads version {formatVersion}. Fix: re-create the model with this version of OverOpt.MLNet.");
        }
        foreach (var (name, hash) in manifest.Entries)
        {
            if (!entries.TryGetValue(name, out var bytes) || Sha256(bytes) != hash)
            {
                throw new InvalidDataException($"{path}: entry '{name}' is missing or its content does not match the manifest (corrupt file). Fix: save the model again.");
            }
        }
        return entries;
    }

    /// <summary>The SHA-256 of <paramref name="bytes"/> as lower-case hex, as the manifest records each entry.</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    private static void WriteEntry(ZipArchive zip, string name, byte[] bytes)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        entry.Write(bytes);
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private sealed class ArchiveManifest
    {
        public string? Kind { get; set; } = "";

        public int FormatVersion { get; set; }

        public Dictionary<string, string>? Entries { get; set; } = [];
    }
}
