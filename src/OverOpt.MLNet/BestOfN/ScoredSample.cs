namespace OverOpt.MLNet.BestOfN;

/// <summary>The input row of <see cref="BestOfNCurveTransformer"/>: one sample of a prompt, scored by the proxy and by gold.</summary>
public sealed class ScoredSample
{
    /// <summary>The prompt this sample answers: rows are grouped by it, and a prompt's samples are read in row order.</summary>
    public int PromptIndex { get; set; }

    /// <summary>The proxy's score of the sample; best-of-n keeps the sample with the highest.</summary>
    public float ProxyScore { get; set; }

    /// <summary>Gold's score of the same sample: what best-of-n's choice is worth in truth.</summary>
    public float GoldScore { get; set; }
}
