namespace OverOpt.MLNet.Text;

/// <summary>
/// The corpus's own grammar as a count-based trigram model with fixed interpolation weights (Jelinek-Mercer): trigram,
/// bigram, unigram and uniform; an order whose context never occurs passes its weight to the next lower one. Exact and the same on any
/// machine (counts and logarithms only), so the synthetic human's sense of fluency is a rule, not a trained network.
/// </summary>
public sealed class TrigramLanguageModel
{
    private static readonly double[] Weights = [0.6, 0.3, 0.09, 0.01];
    private readonly Dictionary<long, int> _trigrams = [];
    private readonly Dictionary<long, int> _trigramContexts = [];
    private readonly Dictionary<long, int> _bigrams = [];
    private readonly int[] _bigramContexts;
    private readonly int[] _unigrams;
    private readonly long _tokens;
    private readonly int _vocabulary;

    /// <summary>Counts the unigrams, bigrams and trigrams of <paramref name="stories"/> as <paramref name="tokenizer"/> encodes them, each story read after the begin token.</summary>
    public TrigramLanguageModel(WordTokenizer tokenizer, IEnumerable<string> stories)
    {
        _vocabulary = tokenizer.VocabularySize;
        _unigrams = new int[_vocabulary];
        _bigramContexts = new int[_vocabulary];
        foreach (var story in stories)
        {
            int previous2 = -1, previous = WordTokenizer.BeginId;
            foreach (int id in tokenizer.Encode(story))
            {
                _unigrams[id]++;
                _tokens++;
                Increment(_bigrams, Key(0, previous, id));
                _bigramContexts[previous]++;
                if (previous2 >= 0)
                {
                    Increment(_trigrams, Key(previous2, previous, id));
                    Increment(_trigramContexts, Key(0, previous2, previous));
                }
                (previous2, previous) = (previous, id);
            }
        }
    }

    /// <summary>log p(<paramref name="token"/> | <paramref name="previous2"/>, <paramref name="previous"/>); previous2 may be -1 (start of a story).</summary>
    public double LogProbability(int previous2, int previous, int token)
    {
        // An order whose context was never seen hands its weight to the next lower order (not straight to the unigram),
        // so that a continuation never seen after a known word stays improbable: ". . ." is not fluent.
        double carried = 0, p = 0;
        int trigramContext = previous2 < 0 ? 0 : _trigramContexts.GetValueOrDefault(Key(0, previous2, previous));
        if (trigramContext > 0)
        {
            p += Weights[0] * _trigrams.GetValueOrDefault(Key(previous2, previous, token)) / trigramContext;
        }
        else
        {
            carried += Weights[0];
        }
        double bigramWeight = Weights[1] + carried;
        carried = 0;
        if (_bigramContexts[previous] > 0)
        {
            p += bigramWeight * _bigrams.GetValueOrDefault(Key(0, previous, token)) / _bigramContexts[previous];
        }
        else
        {
            carried = bigramWeight;
        }
        p += (Weights[2] + carried) * _unigrams[token] / (double)_tokens;
        p += Weights[3] / _vocabulary;
        return Math.Log(p);
    }

    /// <summary>Mean log-probability per token of <paramref name="response"/> after <paramref name="prompt"/> (the prompt's last two tokens are its context).</summary>
    public double MeanLogProbability(IReadOnlyList<int> prompt, IReadOnlyList<int> response)
    {
        int previous2 = prompt.Count >= 2 ? prompt[^2] : -1;
        int previous = prompt.Count >= 1 ? prompt[^1] : WordTokenizer.BeginId;
        double sum = 0;
        foreach (int id in response)
        {
            sum += LogProbability(previous2, previous, id);
            (previous2, previous) = (previous, id);
        }
        return response.Count == 0 ? 0 : sum / response.Count;
    }

    private static long Key(int a, int b, int c) => ((long)(a + 1) << 40) | ((long)b << 20) | (uint)c;

    private static void Increment(Dictionary<long, int> counts, long key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
