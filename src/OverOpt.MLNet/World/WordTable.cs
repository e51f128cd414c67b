namespace OverOpt.MLNet.World;

/// <summary>
/// An ordered list of distinct words with a lookup from word to position: one table of the world (kinds, places,
/// cast names). Choices over a table share its lookup, so parsing a token costs one dictionary probe.
/// </summary>
public sealed class WordTable
{
    private readonly string[] _words;
    private readonly Dictionary<string, int> _index;

    /// <summary>A table of <paramref name="words"/> in their order; a word listed twice throws.</summary>
    public WordTable(IEnumerable<string> words)
    {
        _words = words.ToArray();
        _index = new Dictionary<string, int>(_words.Length, StringComparer.Ordinal);
        for (int i = 0; i < _words.Length; i++)
        {
            if (!_index.TryAdd(_words[i], i))
            {
                throw new ArgumentException($"The table lists '{_words[i]}' twice.", nameof(words));
            }
        }
    }

    /// <summary>Number of words.</summary>
    public int Count => _words.Length;

    /// <summary>The word at <paramref name="position"/>.</summary>
    public string this[int position] => _words[position];

    /// <summary>The words in order.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>The position of <paramref name="word"/>, or -1 when the table lacks it.</summary>
    public int IndexOf(string word) => _index.TryGetValue(word, out int i) ? i : -1;

    /// <summary>Whether the table holds <paramref name="word"/>.</summary>
    public bool Contains(string word) => _index.ContainsKey(word);

    /// <summary>The first <paramref name="count"/> words as a table of their own (a smaller world uses a prefix of each table).</summary>
    public WordTable Take(int count)
    {
        if (count < 1 || count > _words.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A table of {_words.Length} words has no prefix of {count}.");
        }
        return new WordTable(_words.Take(count));
    }
}
