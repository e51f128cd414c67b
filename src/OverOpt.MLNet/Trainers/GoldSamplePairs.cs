namespace OverOpt.MLNet.Trainers;

/// <summary>
/// Pairs of pi_init's samples of one prompt that the rule tells apart, drawn for the gold trainer's pair loss: a prompt
/// uniformly among those with two samples of different scores, then two of its samples of different scores, the one
/// the rule prefers first. Edited copies never pair: their order is the regression's to learn.
/// </summary>
internal sealed class GoldSamplePairs
{
    private readonly int[][] _groups;
    private readonly double[] _targets;
    private readonly Random _random;

    /// <param name="data">The training rows (their prompts group them).</param>
    /// <param name="targets">The rule's score of each row.</param>
    /// <param name="seed">Seeds the draws.</param>
    public GoldSamplePairs(IReadOnlyList<(int[] Prompt, int[] Response, bool Edited)> data, double[] targets, int seed)
    {
        _targets = targets;
        _random = new Random(seed);
        _groups = Enumerable.Range(0, data.Count)
            .Where(i => !data[i].Edited)
            .GroupBy(i => string.Join(',', data[i].Prompt), StringComparer.Ordinal)
            .Select(g => g.ToArray())
            .Where(g => g.Select(i => targets[i]).Distinct().Count() > 1)
            .ToArray();
        if (_groups.Length == 0)
        {
            throw new InvalidOperationException("No prompt has two samples the rule tells apart, so there is nothing for the pair loss to fit; draw more samples a prompt.");
        }
    }

    /// <summary><paramref name="count"/> pairs of row indices, the preferred row first.</summary>
    public (int Preferred, int Other)[] Draw(int count)
    {
        var pairs = new (int, int)[count];
        for (int k = 0; k < count; k++)
        {
            var group = _groups[_random.Next(_groups.Length)];
            int a, b;
            do
            {
                a = group[_random.Next(group.Length)];
                b = group[_random.Next(group.Length)];
            }
            while (_targets[a] == _targets[b]);
            pairs[k] = _targets[a] > _targets[b] ? (a, b) : (b, a);
        }
        return pairs;
    }
}
