using static TorchSharp.torch;

namespace OverOpt.MLNet.Sampling;

/// <summary>
/// Responses sampled for a batch of prompts, with per-token log-probabilities under the sampling policy and the
/// reference (pi_init), and the exact per-token KL(pi || pi_init) summed over the vocabulary. Owns its tensors.
/// </summary>
public sealed class SampleBatch : IDisposable
{
    internal SampleBatch(Tensor prompts, Tensor responses, Tensor logProbs, Tensor referenceLogProbs, Tensor tokenKl, Tensor? logits, Tensor? referenceLogSoftmax)
    {
        Prompts = prompts;
        Responses = responses;
        LogProbs = logProbs;
        ReferenceLogProbs = referenceLogProbs;
        TokenKl = tokenKl;
        Logits = logits;
        ReferenceLogSoftmax = referenceLogSoftmax;
    }

    /// <summary>(batch, prompt length) token ids.</summary>
    public Tensor Prompts { get; }

    /// <summary>(batch, response length) token ids.</summary>
    public Tensor Responses { get; }

    /// <summary>(batch, response length) log pi(a_t | s_t) at the sampling temperature.</summary>
    public Tensor LogProbs { get; }

    /// <summary>(batch, response length) log pi_init(a_t | s_t) at the sampling temperature.</summary>
    public Tensor ReferenceLogProbs { get; }

    /// <summary>(batch, response length) exact KL(pi(.|s_t) || pi_init(.|s_t)), summed over the vocabulary; never negative.</summary>
    public Tensor TokenKl { get; }

    /// <summary>(batch, response length, vocabulary) scaled logits of the sampling policy, when asked for.</summary>
    public Tensor? Logits { get; }

    /// <summary>(batch, response length, vocabulary) log pi_init(.|s_t) at the sampling temperature, when logits are kept.</summary>
    public Tensor? ReferenceLogSoftmax { get; }

    /// <summary>Sequences in the batch.</summary>
    public long Count => Responses.shape[0];

    /// <summary>Copies the batch to plain arrays, one <see cref="PolicySample"/> per sequence.</summary>
    public IReadOnlyList<PolicySample> ToSamples()
    {
        // The copies to the CPU are temporaries: a scope owns them until the arrays are read.
        using var scope = NewDisposeScope();
        int count = (int)Count;
        int promptLength = (int)Prompts.shape[1];
        int responseLength = (int)Responses.shape[1];
        var prompts = Prompts.cpu().to_type(ScalarType.Int32).data<int>().ToArray();
        var responses = Responses.cpu().to_type(ScalarType.Int32).data<int>().ToArray();
        var logProbs = LogProbs.cpu().data<float>().ToArray();
        var referenceLogProbs = ReferenceLogProbs.cpu().data<float>().ToArray();
        var tokenKl = TokenKl.cpu().data<float>().ToArray();
        var samples = new PolicySample[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = new PolicySample(
                prompts.AsSpan(i * promptLength, promptLength).ToArray(),
                responses.AsSpan(i * responseLength, responseLength).ToArray(),
                logProbs.AsSpan(i * responseLength, responseLength).ToArray(),
                referenceLogProbs.AsSpan(i * responseLength, responseLength).ToArray(),
                tokenKl.AsSpan(i * responseLength, responseLength).ToArray());
        }
        return samples;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Prompts.Dispose();
        Responses.Dispose();
        LogProbs.Dispose();
        ReferenceLogProbs.Dispose();
        TokenKl.Dispose();
        Logits?.Dispose();
        ReferenceLogSoftmax?.Dispose();
    }
}
