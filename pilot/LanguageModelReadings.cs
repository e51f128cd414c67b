using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Sampling;
using static TorchSharp.torch;

namespace WorldPilot;

/// <summary>
/// Two scores of a response that a reward network's frozen language model gives without any training on the taste: its
/// log-likelihood (what the likelihood readout reads), and minus its excess surprise, the sum over the response's tokens
/// of how far each token's surprise (-log p) lies above the model's entropy at that position, where above. A free
/// choice is about as surprising as the entropy says; a token that breaks a fact the model is sure of (a wrong pronoun
/// for a character it knows) is far more so. Read as a reward by <see cref="RuleTermAgreement"/>, each tells which of the
/// reader's terms the language model alone orders, and so what a readout could hand gold.
/// </summary>
internal static class LanguageModelReadings
{
    public const string Likelihood = "lm-likelihood";

    public const string ExcessSurprise = "lm-excess-surprise";

    public static (float[] Likelihood, float[] NegativeExcessSurprise) Score(RewardNetwork network, IReadOnlyList<(int[] Prompt, int[] Response)> samples, int batchSize = 256)
    {
        var likelihood = new float[samples.Count];
        var excess = new float[samples.Count];
        var device = network.parameters().First().device;
        for (int start = 0; start < samples.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(batchSize, samples.Count - start);
            var sequences = TokenTensors.Stack(Enumerable.Range(start, count).Select(i => samples[i].Prompt.Concat(samples[i].Response).ToArray()).ToArray(), device);
            var (tokens, entropyTensor) = network.LanguageTokenReadings(sequences);
            var logProbabilities = tokens.cpu().data<float>().ToArray();
            var entropies = entropyTensor.cpu().data<float>().ToArray();
            int predicted = (int)sequences.shape[1] - 1;
            for (int i = 0; i < count; i++)
            {
                int responseLength = samples[start + i].Response.Length;
                // The response's tokens are the last of each sequence; position t predicts token t + 1.
                for (int j = predicted - responseLength; j < predicted; j++)
                {
                    float logProbability = logProbabilities[i * predicted + j];
                    likelihood[start + i] += logProbability;
                    excess[start + i] -= Math.Max(0, -logProbability - entropies[i * predicted + j]);
                }
            }
        }
        return (likelihood, excess);
    }
}
