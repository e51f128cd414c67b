namespace OverOpt.MLNet.Ppo;

/// <summary>
/// The input row of <see cref="RlCurveTransformer"/>: one response sampled from the policy being optimized, at one
/// optimizer step, scored by the proxy and by gold, with its exact KL from pi_init summed over the response.
/// </summary>
public sealed class RlEvaluationSample
{
    /// <summary>The optimizer step whose policy sampled the response (0: pi_init).</summary>
    public int Step { get; set; }

    /// <summary>The proxy's score of the response.</summary>
    public float ProxyScore { get; set; }

    /// <summary>Gold's score of the response.</summary>
    public float GoldScore { get; set; }

    /// <summary>KL(pi || pi_init) of the response's next-token distributions, summed over its tokens (nats).</summary>
    public float Kl { get; set; }
}
