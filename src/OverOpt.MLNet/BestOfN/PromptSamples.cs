namespace OverOpt.MLNet.BestOfN;

/// <summary>One prompt's samples as read from the data: per sample, its proxy scores (one per proxy column) and its gold score.</summary>
internal sealed class PromptSamples(string id)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public string Id { get; } = id;

    /// <summary>Per sample, its score in each proxy column, in the order the columns were named.</summary>
    public List<float[]> Proxy { get; } = [];

    /// <summary>Per sample, its gold score; <c>Gold[i]</c> belongs to the sample of <c>Proxy[i]</c>.</summary>
    public List<float> Gold { get; } = [];

    public int Count => Gold.Count;

    /// <summary>Adds a sample; returns false when the prompt already has one with exactly these scores.</summary>
    public bool Add(float[] proxy, float gold)
    {
        Proxy.Add(proxy);
        Gold.Add(gold);
        // Bit patterns, so that the rule "identical" is exact and independent of formatting.
        return _seen.Add(string.Join(',', proxy.Append(gold).Select(BitConverter.SingleToInt32Bits)));
    }

    /// <summary>Orders the samples by gold, then by each proxy score: one order whatever order the rows came in.</summary>
    public void SortByScores()
    {
        var order = Enumerable.Range(0, Count)
            .OrderBy(i => Gold[i])
            .ThenBy(i => Proxy[i], Comparer<float[]>.Create((a, b) => a.Zip(b, (x, y) => x.CompareTo(y)).FirstOrDefault(c => c != 0)))
            .ToList();
        var (proxy, gold) = (order.Select(i => Proxy[i]).ToList(), order.Select(i => Gold[i]).ToList());
        Proxy.Clear();
        Gold.Clear();
        Proxy.AddRange(proxy);
        Gold.AddRange(gold);
    }
}
