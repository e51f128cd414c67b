namespace OverOpt.MLNet.Sampling;

/// <summary>How responses are drawn from a policy.</summary>
public sealed class SamplingOptions
{
    /// <summary>Tokens in every response (responses have a fixed length).</summary>
    public int ResponseLength { get; set; } = 16;

    /// <summary>
    /// Softmax temperature. The sampling distribution is softmax(logits / T), and the reference's log-probabilities
    /// and the KL are computed at the same temperature, so a policy compared with itself has zero KL at any T.
    /// </summary>
    public double Temperature { get; set; } = 1.0;

    /// <summary>Sequences decoded together; larger batches amortize per-op overhead.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Keep the per-step logits of the sampling policy and pi_init's log-softmax in the batch (for the exact KL penalty and checks; costs 2 x batch x length x vocabulary floats).</summary>
    public bool KeepLogits { get; set; }
}
