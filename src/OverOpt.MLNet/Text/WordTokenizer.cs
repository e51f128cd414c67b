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
    public const int PadId = 0;
    public const int UnknownId = 1;
    public const int BeginId = 2;
    public static readonly IReadOnlyList<string> SpecialTokens = ["<pad>", "<unk>", "<bos>"];

    private static readonly char[] Punctuation = ['.', ',', '!', '?'];
    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;

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

    public int VocabularySize => _tokens.Length;

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

    public int[] Encode(string text) => Split(text).Select(p => _ids.TryGetValue(p, out var id) ? id : UnknownId).ToArray();

    /// <summary>
    /// The distinct pieces of <paramref name="text"/> (lower-cased, as <see cref="Encode"/> splits them) that are not in
    /// the vocabulary, in order of first appearance: exactly those <see cref="Encode"/> maps to <see cref="UnknownId"/>.
    /// </summary>
    public IReadOnlyList<string> OutOfVocabulary(string text) => Split(text).Where(p => !_ids.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToList();

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
