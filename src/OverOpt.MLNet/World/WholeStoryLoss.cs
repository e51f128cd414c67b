using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Text;
using static TorchSharp.torch;

namespace OverOpt.MLNet.World;

/// <summary>
/// A language model's loss on whole stories: each story read from its begin token at position 0, every story token
/// and the end token after it scored. That is the quantity whose exact value for the true distribution is the
/// world's entropy (<see cref="CorpusEntropy"/>), so a model's excess over the truth is measured story by story.
/// (The pretrainer's own held-out loss reads fixed windows that cut stories anywhere, so it is not comparable.)
/// </summary>
public static class WholeStoryLoss
{
    /// <summary>
    /// The negative log-probability in nats that <paramref name="model"/> gives each token of each story and to the end
    /// token after it (one row per story, the story's token count plus one entries).
    /// </summary>
    /// <param name="model">The language model; put in eval mode.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="stories">Corpus lines; each, with its begin and end tokens, must fit the model's context plus one.</param>
    /// <param name="batchSize">Stories per forward pass.</param>
    public static float[][] TokenLosses(GptModel model, WordTokenizer tokenizer, IReadOnlyList<string> stories, int batchSize = 64)
    {
        model.eval();
        using var noGrad = no_grad();
        var device = model.parameters().First().device;
        var result = new float[stories.Count][];
        for (int start = 0; start < stories.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var rows = stories.Skip(start).Take(batchSize)
                .Select(s => new[] { WordTokenizer.BeginId }.Concat(tokenizer.Encode(s)).Append(WordTokenizer.BeginId).ToArray())
                .ToArray();
            int length = rows.Max(r => r.Length) - 1;
            if (length > model.Shape.Context)
            {
                throw new ArgumentException($"A story of {length - 1} tokens needs {length} positions; the model has {model.Shape.Context}.", nameof(stories));
            }
            var inputs = new long[rows.Length * length];
            var targets = new long[rows.Length * length];
            for (int r = 0; r < rows.Length; r++)
            {
                for (int i = 0; i < length; i++)
                {
                    // Padding sits after each story's end; causal attention keeps it from touching the scored positions.
                    inputs[r * length + i] = i < rows[r].Length - 1 ? rows[r][i] : WordTokenizer.PadId;
                    targets[r * length + i] = i < rows[r].Length - 1 ? rows[r][i + 1] : WordTokenizer.PadId;
                }
            }
            var inputTensor = tensor(inputs, [rows.Length, length], ScalarType.Int64).to(device);
            var targetTensor = tensor(targets, [rows.Length, length, 1], ScalarType.Int64).to(device);
            var logProbs = model.forward(inputTensor).log_softmax(-1).gather(-1, targetTensor).squeeze(-1).cpu();
            var values = logProbs.data<float>().ToArray();
            for (int r = 0; r < rows.Length; r++)
            {
                int scored = rows[r].Length - 1;
                var row = new float[scored];
                for (int i = 0; i < scored; i++)
                {
                    row[i] = -values[r * length + i];
                }
                result[start + r] = row;
            }
        }
        return result;
    }

    /// <summary>Nats per scored token of <paramref name="model"/> on whole <paramref name="stories"/>, with its 95% interval.</summary>
    public static EntropyEstimate Measure(GptModel model, WordTokenizer tokenizer, IReadOnlyList<string> stories, int batchSize = 64)
    {
        var losses = TokenLosses(model, tokenizer, stories, batchSize);
        return EntropyEstimate.FromStories(losses.Select(l => l.Sum(x => (double)x)).ToArray(), losses.Select(l => l.Length).ToArray());
    }
}
