using System.Collections.Concurrent;

namespace OverOpt.MLNet.World;

/// <summary>
/// One decision of the story grammar: a distribution over the next token. Every option is a distinct token, so
/// the token written shows which option was taken: one text has one derivation, and its probability is the
/// product of the probabilities of its tokens.
/// </summary>
public sealed class TokenChoice
{
    private static readonly ConcurrentDictionary<string, TokenChoice> ForcedChoices = new(StringComparer.Ordinal);
    private readonly WordTable _table;
    private readonly double[] _weights;
    private readonly double _total;

    private TokenChoice(WordTable table, double[] weights)
    {
        if (weights.Length != table.Count)
        {
            throw new ArgumentException($"{weights.Length} weights for {table.Count} tokens.", nameof(weights));
        }
        if (weights.Any(w => !(w >= 0) || double.IsInfinity(w)))
        {
            throw new ArgumentException("Weights must be finite and non-negative.", nameof(weights));
        }
        _table = table;
        _weights = weights;
        _total = weights.Sum();
        if (!(_total > 0))
        {
            throw new ArgumentException("A choice needs at least one option of positive weight.", nameof(weights));
        }
    }

    /// <summary>The candidate tokens, options of zero weight included.</summary>
    public WordTable Tokens => _table;

    /// <summary>Number of candidate tokens, options of zero weight included.</summary>
    public int Count => _table.Count;

    /// <summary>Options of positive probability: 1 for a token the grammar forces.</summary>
    public int Support => _weights.Count(w => w > 0);

    /// <summary>A choice with one option, <paramref name="token"/>, of probability 1 (cached: forced tokens are most tokens).</summary>
    public static TokenChoice Forced(string token) => ForcedChoices.GetOrAdd(token, t => new TokenChoice(new WordTable([t]), [1.0]));

    /// <summary>Every token of <paramref name="table"/> equally likely.</summary>
    public static TokenChoice Uniform(WordTable table) => new(table, Enumerable.Repeat(1.0, table.Count).ToArray());

    /// <summary>The tokens of <paramref name="table"/> with probabilities proportional to <paramref name="weights"/> (copied).</summary>
    public static TokenChoice Weighted(WordTable table, IReadOnlyList<double> weights) => new(table, weights.ToArray());

    /// <summary>The token of option <paramref name="option"/>.</summary>
    public string Token(int option) => _table[option];

    /// <summary>The probability of option <paramref name="option"/>.</summary>
    public double Probability(int option) => _weights[option] / _total;

    /// <summary>The option that writes <paramref name="token"/>, or -1 when the token is not an option of positive probability.</summary>
    public int IndexOf(string token)
    {
        int i = _table.IndexOf(token);
        return i >= 0 && _weights[i] > 0 ? i : -1;
    }

    /// <summary>The probability of writing <paramref name="token"/> (0 when it is not an option).</summary>
    public double ProbabilityOf(string token)
    {
        int i = IndexOf(token);
        return i < 0 ? 0 : Probability(i);
    }

    /// <summary>Draws an option with one uniform number from <paramref name="rng"/>.</summary>
    public int Sample(Random rng)
    {
        if (_weights.Length == 1)
        {
            return 0;
        }
        double u = rng.NextDouble() * _total;
        int last = -1;
        for (int i = 0; i < _weights.Length; i++)
        {
            if (_weights[i] <= 0)
            {
                continue;
            }
            last = i;
            u -= _weights[i];
            if (u < 0)
            {
                return i;
            }
        }
        // Rounding can leave u a hair above zero after the last option.
        return last;
    }

    /// <summary>The entropy of the choice in nats.</summary>
    public double Entropy()
    {
        double h = 0;
        for (int i = 0; i < _weights.Length; i++)
        {
            if (_weights[i] > 0)
            {
                double p = Probability(i);
                h -= p * Math.Log(p);
            }
        }
        return h;
    }

    /// <summary>The same choice with the options at <paramref name="excluded"/> removed (weight 0) and the rest renormalized.</summary>
    public TokenChoice Without(IEnumerable<int> excluded)
    {
        var weights = _weights.ToArray();
        foreach (int i in excluded)
        {
            weights[i] = 0;
        }
        return new TokenChoice(_table, weights);
    }

    /// <summary>The same tokens with option <paramref name="favoured"/> given probability <paramref name="share"/> and the others the rest, in their old proportions.</summary>
    public TokenChoice Favouring(int favoured, double share)
    {
        if (!(share > 0 && share < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "A share strictly between 0 and 1.");
        }
        double others = _total - _weights[favoured];
        var weights = _weights.Select(w => others > 0 ? w / others * (1 - share) : 0).ToArray();
        weights[favoured] = share;
        return new TokenChoice(_table, weights);
    }
}
