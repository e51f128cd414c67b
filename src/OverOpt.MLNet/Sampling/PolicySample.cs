namespace OverOpt.MLNet.Sampling;

/// <summary>One sampled response and its per-token statistics, as plain arrays.</summary>
public sealed record PolicySample(int[] Prompt, int[] Response, float[] LogProbs, float[] ReferenceLogProbs, float[] TokenKl)
{
    /// <summary>Exact KL(pi || pi_init) of the whole response: the per-token KLs summed.</summary>
    public double Kl => TokenKl.Sum(k => (double)k);

    /// <summary>The single-sample Monte-Carlo estimate sum_t log pi - log pi_init (k1); unbiased, but noisy and can be negative.</summary>
    public double LogRatio => LogProbs.Zip(ReferenceLogProbs, (p, q) => (double)p - q).Sum();
}
