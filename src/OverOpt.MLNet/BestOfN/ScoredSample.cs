namespace OverOpt.MLNet.BestOfN;

/// <summary>The input row of <see cref="BestOfNCurveTransformer"/>: one sample of a prompt, scored by the proxy and by gold.</summary>
public sealed class ScoredSample
{
    public int PromptIndex { get; set; }

    public float ProxyScore { get; set; }

    public float GoldScore { get; set; }
}
