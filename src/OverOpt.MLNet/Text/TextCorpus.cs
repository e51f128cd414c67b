using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Text;

/// <summary>
/// A corpus of stories, one per line. The last tenth of the stories is held out for validation; prompts
/// come from the stories' openings.
/// </summary>
public sealed class TextCorpus
{
    /// <summary>The name under which the bundled corpus (datasets/tinytales.txt) is embedded in the assembly.</summary>
    public const string BundledName = "tinytales";
    private const string BundledResource = "OverOpt.MLNet.Datasets.tinytales.txt";

    private TextCorpus(string source, IReadOnlyList<string> stories)
    {
        Source = source;
        Stories = stories;
        ContentHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', stories)))).ToLowerInvariant();
        int validation = Math.Max(1, stories.Count / 10);
        TrainStories = stories.Take(stories.Count - validation).ToArray();
        ValidationStories = stories.Skip(stories.Count - validation).ToArray();
    }

    /// <summary>Where the corpus came from: a file path or "bundled:tinytales".</summary>
    public string Source { get; }

    /// <summary>All stories in file order: one per non-empty line, trimmed.</summary>
    public IReadOnlyList<string> Stories { get; }

    /// <summary>The stories before the held-out tenth, for training.</summary>
    public IReadOnlyList<string> TrainStories { get; }

    /// <summary>The last tenth of the stories (at least one), held out for validation.</summary>
    public IReadOnlyList<string> ValidationStories { get; }

    /// <summary>SHA-256 of the stories, so that cached artifacts are keyed by the data they were built from.</summary>
    public string ContentHash { get; }

    /// <summary>The corpus embedded in the assembly (datasets/tinytales.txt), with <see cref="Source"/> "bundled:tinytales".</summary>
    public static TextCorpus Bundled()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(BundledResource)
            ?? throw new InvalidOperationException($"The bundled corpus resource '{BundledResource}' is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return FromLines($"bundled:{BundledName}", ReadLines(reader));
    }

    /// <summary>Loads a corpus file (UTF-8, one story per line).</summary>
    /// <param name="path">The file.</param>
    /// <param name="field">The configuration field that named the file, for error messages.</param>
    public static TextCorpus Load(string path, string field = "corpus")
    {
        if (!File.Exists(path))
        {
            throw new OverOptConfigurationException(
                $"the corpus file '{path}' does not exist.",
                field,
                $"point '{field}' at a UTF-8 text file with one story per line, or leave it out to use the bundled corpus '{BundledName}'.");
        }
        using var reader = new StreamReader(path, Encoding.UTF8);
        return FromLines(Path.GetFullPath(path), ReadLines(reader), field);
    }

    /// <summary>A corpus of <paramref name="lines"/>: each trimmed, empty ones dropped; at least 10 stories must remain.</summary>
    /// <param name="source">Where the lines came from, kept as <see cref="Source"/>.</param>
    /// <param name="lines">One story per line.</param>
    /// <param name="field">The configuration field that named the source, for error messages.</param>
    public static TextCorpus FromLines(string source, IEnumerable<string> lines, string field = "corpus")
    {
        var stories = lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (stories.Length < 10)
        {
            throw new OverOptConfigurationException(
                $"the corpus '{source}' has {stories.Length} non-empty lines; at least 10 stories are needed to hold out a validation tenth.",
                field,
                "use a corpus with one story per line and at least 10 lines.");
        }
        return new TextCorpus(source, stories);
    }

    /// <summary>The token stream of <paramref name="stories"/>: each story preceded by <see cref="WordTokenizer.BeginId"/>.</summary>
    public static int[] Encode(WordTokenizer tokenizer, IEnumerable<string> stories)
    {
        var ids = new List<int>();
        foreach (var story in stories)
        {
            ids.Add(WordTokenizer.BeginId);
            ids.AddRange(tokenizer.Encode(story));
        }
        return ids.ToArray();
    }

    /// <summary>
    /// Prompts of exactly <paramref name="length"/> tokens: <see cref="WordTokenizer.BeginId"/> followed by the opening
    /// of each story that is long enough.
    /// </summary>
    public static int[][] Prompts(WordTokenizer tokenizer, IEnumerable<string> stories, int length)
    {
        if (length < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A prompt holds at least the begin token.");
        }
        return stories.Select(tokenizer.Encode)
            .Where(ids => ids.Length >= length - 1)
            .Select(ids => new[] { WordTokenizer.BeginId }.Concat(ids.Take(length - 1)).ToArray())
            .ToArray();
    }

    private static IEnumerable<string> ReadLines(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
