using static TorchSharp.torch;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// Runs a <see cref="RewardNetwork"/> on batches, raw scores only. ML.NET's row path calls it with batches of one,
/// possibly from several cursor threads: dispose scopes are thread-local and the forward pass holds a lock.
/// </summary>
internal sealed class TransformerRewardScorer
{
    private const int BatchSize = 512;
    private readonly object _gate = new();

    public TransformerRewardScorer(RewardNetwork network)
    {
        Network = network;
        Network.eval();
    }

    public RewardNetwork Network { get; }

    public float[] Raw(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses)
    {
        if (prompts.Count != responses.Count)
        {
            throw new ArgumentException($"{prompts.Count} prompts but {responses.Count} responses.", nameof(responses));
        }
        var scores = new float[prompts.Count];
        var device = Network.parameters().First().device;
        for (int start = 0; start < scores.Length; start += BatchSize)
        {
            int count = Math.Min(BatchSize, scores.Length - start);
            var sequences = Enumerable.Range(start, count).Select(i => prompts[i].Concat(responses[i]).ToArray()).ToArray();
            int length = sequences[0].Length;
            if (sequences.Any(s => s.Length != length))
            {
                throw new ArgumentException("Every prompt plus response of one batch must have the same length (responses have a fixed length).", nameof(responses));
            }
            if (length > Network.Shape.Context)
            {
                throw new ArgumentException($"Prompt plus response ({length} tokens) exceed the reward model's context of {Network.Shape.Context}.", nameof(responses));
            }
            if (sequences.Any(s => s.Any(id => id < 0 || id >= Network.Shape.VocabularySize)))
            {
                throw new ArgumentException($"A token id lies outside the reward model's vocabulary of {Network.Shape.VocabularySize}.", nameof(responses));
            }
            lock (_gate)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var batch = Sampling.TokenTensors.Stack(sequences, device);
                Network.forward(batch).cpu().data<float>().CopyTo(scores, start);
            }
        }
        return scores;
    }
}
