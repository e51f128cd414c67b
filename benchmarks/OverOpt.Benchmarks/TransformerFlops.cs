using OverOpt.MLNet.Policies;
using static TorchSharp.torch;

namespace OverOpt.Benchmarks;

/// <summary>
/// FLOP counts of the transformers here (TransformerBlock: qkv d x 3d, proj d x d, fc d x 4d, fcProj 4d x d, so
/// 12 d^2 matmul weights per layer, plus a head of d x outputs: the vocabulary for a policy, 1 for a reward model),
/// a multiply-add counted as 2 FLOPs. Counted: every weight matmul (2 x weights per token) and attention's two batched
/// matmuls, QK^T and weights x V (2 x 2 x keys x d per query and layer); a causal pass counts all T^2 query-key pairs,
/// as the dense kernel computes the masked ones too (Kaplan et al.'s convention). Not counted: embedding lookups, layer
/// norms, GELU, softmax, biases, sampling and the optimizer, all O(tokens x d) or O(parameters): a few percent of
/// the total at these widths. Training is 3 x forward (the backward pass costs two forwards).
/// </summary>
internal static class TransformerFlops
{
    /// <summary>Weights that multiply every token: 12 d^2 per layer plus the head.</summary>
    public static long MatmulWeights(GptShape shape, int headOutputs)
        => 12L * shape.Layers * shape.ModelDim * shape.ModelDim + (long)shape.ModelDim * headOutputs;

    /// <summary>One causal pass over <paramref name="tokens"/> positions of one sequence, the head on every position.</summary>
    public static double Forward(GptShape shape, int tokens, int headOutputs)
        => 2.0 * MatmulWeights(shape, headOutputs) * tokens + 4.0 * shape.Layers * tokens * tokens * shape.ModelDim;

    /// <summary>Forward and backward over one sequence: 3 x <see cref="Forward"/>.</summary>
    public static double Training(GptShape shape, int tokens, int headOutputs) => 3 * Forward(shape, tokens, headOutputs);

    /// <summary>
    /// PolicySampler on one sequence: a prefill over the prompt, then one single-token step per response token but the
    /// last, each query attending over the cache (the prompt and the tokens before it, itself included).
    /// </summary>
    public static double CachedSampling(GptShape shape, int promptLength, int responseLength)
    {
        double flops = Forward(shape, promptLength, shape.VocabularySize);
        for (int t = 0; t + 1 < responseLength; t++)
        {
            int keys = promptLength + t + 1;
            flops += 2.0 * MatmulWeights(shape, shape.VocabularySize) + 4.0 * shape.Layers * keys * shape.ModelDim;
        }
        return flops;
    }

    /// <summary>RecomputeSampler on one sequence: a whole causal pass over the sequence so far for every response token (its redundant work included).</summary>
    public static double RecomputeSampling(GptShape shape, int promptLength, int responseLength)
        => Enumerable.Range(0, responseLength).Sum(t => Forward(shape, promptLength + t, shape.VocabularySize));

    /// <summary>
    /// Throws when <paramref name="network"/>'s matmul weights (its 2-D weights other than the embeddings) are not
    /// what <see cref="MatmulWeights"/> counts, so the FLOP counts cannot drift from the model unnoticed.
    /// </summary>
    public static void Check(nn.Module network, GptShape shape, int headOutputs)
    {
        long actual = network.named_parameters()
            .Where(p => p.name.EndsWith(".weight", StringComparison.Ordinal) && p.parameter.dim() == 2 && !p.name.Contains("wte") && !p.name.Contains("wpe"))
            .Sum(p => p.parameter.numel());
        long counted = MatmulWeights(shape, headOutputs);
        if (actual != counted)
        {
            throw new InvalidOperationException($"The FLOP model counts {counted} matmul weights for {shape}, the network has {actual}: update TransformerFlops.");
        }
    }
}
