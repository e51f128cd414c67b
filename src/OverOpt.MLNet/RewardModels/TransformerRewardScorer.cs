using OverOpt.MLNet.Runtime;
using static TorchSharp.torch;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// Runs a <see cref="RewardNetwork"/> on batches, raw scores only. ML.NET's row path calls it with batches of one,
/// possibly from several cursor threads: dispose scopes are thread-local and the forward pass holds a lock.
/// </summary>
internal sealed class TransformerRewardScorer
{
    // Likelihoods given to Raw must come from batches of this very size, so that each is what Raw would have computed.
    private const int BatchSize = 512;
    private readonly object _gate = new();

    public TransformerRewardScorer(RewardNetwork network)
    {
        Network = network;
        Network.eval();
    }

    public RewardNetwork Network { get; }

    /// <summary>
    /// Raw scores of the pairs. <paramref name="likelihoods"/>, where given, are <see cref="Likelihoods"/> of the same pairs
    /// from a network with the same frozen language model, used in place of computing them again. Pairs scored so far
    /// go to <paramref name="progress"/> under <paramref name="stage"/> after every batch.
    /// </summary>
    public float[] Raw(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses, float[]? likelihoods = null,
        IProgress<ProgressUpdate>? progress = null, string stage = "score")
    {
        if (likelihoods is not null && likelihoods.Length != prompts.Count)
        {
            throw new ArgumentException($"{likelihoods.Length} likelihoods for {prompts.Count} prompts.", nameof(likelihoods));
        }
        return InBatches(prompts, responses, (batch, start, count) =>
        {
            using var likelihood = likelihoods is null ? null : tensor(likelihoods.AsSpan(start, count).ToArray(), [count, 1]).to(batch.device);
            using var features = Network.Features(batch, likelihood);
            return Network.Score(features);
        }, progress, stage);
    }

    /// <summary>The frozen language model's log-likelihood of each pair, in the batches <see cref="Raw"/> uses.</summary>
    public float[] Likelihoods(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses, IProgress<ProgressUpdate>? progress = null, string stage = "likelihoods")
        => InBatches(prompts, responses, (batch, _, _) => Network.LanguageLogLikelihood(batch).squeeze(-1), progress, stage);

    private float[] InBatches(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses, Func<Tensor, int, int, Tensor> perBatch,
        IProgress<ProgressUpdate>? progress, string stage)
    {
        if (prompts.Count != responses.Count)
        {
            throw new ArgumentException($"{prompts.Count} prompts but {responses.Count} responses.", nameof(responses));
        }
        var values = new float[prompts.Count];
        var device = Network.parameters().First().device;
        for (int start = 0; start < values.Length; start += BatchSize)
        {
            int count = Math.Min(BatchSize, values.Length - start);
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
                using var inference = inference_mode();
                var batch = Sampling.TokenTensors.Stack(sequences, device);
                perBatch(batch, start, count).cpu().data<float>().CopyTo(values, start);
            }
            progress?.Report(new ProgressUpdate(stage, start + count, values.Length));
        }
        return values;
    }
}
