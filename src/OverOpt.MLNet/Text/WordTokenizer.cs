using System.Text;

namespace OverOpt.MLNet.Text;

/// <summary>
/// A word-level tokenizer with a closed vocabulary built from a corpus.
/// Text maps to ids by lower-casing, splitting on white space and splitting the punctuation marks
/// <c>. , ! ?</c> off the words they touch; each piece is looked up, unknown pieces map to <see cref="UnknownId"/>.
/// Ids map back to text by joining the pieces with single spaces (the corpus is stored that way, so
/// decode(encode(corpus line)) returns the line). The vocabulary is small (a few hundred), which is what
/// makes exact per-token KL over the whole vocabulary cheap.
/// </summary>
public sealed class WordTokenizer
{
    /// <summary>Id 0, &lt;pad&gt;: reserved for padding; <see cref="Decode"/> skips it.</summary>
    public const int PadId = 0;
    /// <summary>Id 1, &lt;unk&gt;: every piece outside the vocabulary.</summary>
    public const int UnknownId = 1;
    /// <summary>Id 2, &lt;bos&gt;: begins every story in the training stream and every prompt.</summary>
    public const int BeginId = 2;
    /// <summary>&lt;pad&gt;, &lt;unk&gt;, &lt;bos&gt;: ids 0 to 2, the start of every vocabulary.</summary>
    public static readonly IReadOnlyList<string> SpecialTokens = ["<pad>", "<unk>", "<bos>"];

    private static readonly char[] Punctuation = ['.', ',', '!', '?'];
    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;

    /// <summary>A tokenizer over <paramref name="vocabulary"/> (index = id), as saved with models; it must start with <see cref="SpecialTokens"/> and list no piece twice.</summary>
    public WordTokenizer(IReadOnlyList<string> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        for (int i = 0; i < SpecialTokens.Count; i++)
        {
            if (vocabulary.Count <= i || vocabulary[i] != SpecialTokens[i])
            {
                throw new ArgumentException($"A vocabulary must start with {string.Join(", ", SpecialTokens)}.", nameof(vocabulary));
            }
        }
        _tokens = vocabulary.ToArray();
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _tokens.Length; i++)
        {
            if (!_ids.TryAdd(_tokens[i], i))
            {
                throw new ArgumentException($"The vocabulary lists '{_tokens[i]}' twice.", nameof(vocabulary));
            }
        }
    }

    /// <summary>Number of ids, special tokens included: the width of a policy's output.</summary>
    public int VocabularySize => _tokens.Length;

    /// <summary>The pieces by id, special tokens first; saved with models so that ids decode the same everywhere.</summary>
    public IReadOnlyList<string> Vocabulary => _tokens;

    /// <summary>Builds the vocabulary of <paramref name="lines"/>: special tokens, then pieces by falling frequency, ties by ordinal order.</summary>
    public static WordTokenizer Train(IEnumerable<string> lines)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            foreach (var piece in Split(line))
            {
                counts[piece] = counts.GetValueOrDefault(piece) + 1;
            }
        }
        var ordered = counts.Where(kv => !SpecialTokens.Contains(kv.Key))
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key);
        return new WordTokenizer(SpecialTokens.Concat(ordered).ToList());
    }

    /// <summary>Token ids of <paramref name="text"/>, split as the class describes; no begin token is added, unknown pieces become <see cref="UnknownId"/>.</summary>
    public int[] Encode(string text) => Split(text).Select(p => _ids.TryGetValue(p, out var id) ? id : UnknownId).ToArray();

    /// <summary>
    /// The distinct pieces of <paramref name="text"/> (lower-cased, as <see cref="Encode"/> splits them) that are not in
    /// the vocabulary, in order of first appearance: exactly those <see cref="Encode"/> maps to <see cref="UnknownId"/>.
    /// </summary>
    public IReadOnlyList<string> OutOfVocabulary(string text) => Split(text).Where(p => !_ids.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Text of <paramref name="ids"/>: pieces joined by single spaces, <see cref="PadId"/> skipped, ids outside the vocabulary shown as &lt;unk&gt;.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            if (id == PadId)
            {
                continue;
            }
            if (text.Length > 0)
            {
                text.Append(' ');
            }
            text.Append(id >= 0 && id < _tokens.Length ? _tokens[id] : SpecialTokens[UnknownId]);
        }
        return text.ToString();
    }

    /// <summary>The piece of <paramref name="id"/> (special tokens as written, e.g. "&lt;bos&gt;"); throws for an id outside the vocabulary.</summary>
    public string TokenText(int id) => _tokens[id];

    private static IEnumerable<string> Split(string text)
    {
        foreach (var word in text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            int start = 0;
            for (int i = 0; i < word.Length; i++)
            {
                if (Array.IndexOf(Punctuation, word[i]) < 0 || IsSpecial(word, start))
                {
                    continue;
                }
                if (i > start)
                {
                    yield return word[start..i];
                }
                yield return word[i].ToString();
                start = i + 1;
            }
            if (start < word.Length)
            {
                yield return word[start..];
            }
        }
    }

    private static bool IsSpecial(string word, int start) => word.Length > start && word[start] == '<' && word.EndsWith('>');
}
