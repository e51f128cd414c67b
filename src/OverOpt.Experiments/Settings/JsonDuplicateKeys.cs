using System.Text;
using System.Text.Json;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Experiments.Settings;

/// <summary>
/// Refuses a JSON object that names a key twice. System.Text.Json keeps the last value (a pipeline with "seed": 5 then
/// "seed": 7 runs seed 7) and its own duplicate check names neither the path nor the line.
/// </summary>
public static class JsonDuplicateKeys
{
    /// <summary>Throws <see cref="OverOptConfigurationException"/> naming <paramref name="file"/>, the dotted field and the line of the second occurrence.</summary>
    public static void Refuse(string json, string file)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        // One frame per open container: the keys an object has seen (null for an array), its path, and the next array index.
        var frames = new Stack<(HashSet<string>? Keys, string Path, int Index)>();
        string? pendingKey = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var (keys, path, _) = frames.Peek();
                        string name = reader.GetString()!;
                        if (!keys!.Add(name))
                        {
                            string field = path.Length == 0 ? name : $"{path}.{name}";
                            throw new OverOptConfigurationException(
                                $"'{name}' is given twice in the same object (again at line {LineOf(bytes, reader.TokenStartIndex)}); JSON readers keep only the last, so one value would be silently ignored.",
                                field, "keep one of the two.", file);
                        }
                        pendingKey = name;
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        string childPath = ChildPath(frames, pendingKey);
                        frames.Push((reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null, childPath, 0));
                        pendingKey = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.Pop();
                        Advance(frames);
                        break;
                    default:
                        pendingKey = null;
                        Advance(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON is reported by the parser that follows, with its own line and column.
        }
    }

    private static string ChildPath(Stack<(HashSet<string>? Keys, string Path, int Index)> frames, string? key)
    {
        if (frames.Count == 0)
        {
            return "";
        }
        var (keys, path, index) = frames.Peek();
        if (keys is null)
        {
            return $"{path}[{index}]";
        }
        return path.Length == 0 ? key ?? "" : $"{path}.{key}";
    }

    private static void Advance(Stack<(HashSet<string>? Keys, string Path, int Index)> frames)
    {
        if (frames.Count > 0 && frames.Peek() is { Keys: null } array)
        {
            frames.Pop();
            frames.Push(array with { Index = array.Index + 1 });
        }
    }

    private static int LineOf(byte[] bytes, long offset) => 1 + bytes.AsSpan(0, (int)offset).Count((byte)'\n');
}
