using System.Diagnostics;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.World;
using static TorchSharp.torch;

namespace WorldPilot;

/// <summary>
/// Samples a policy's continuations of held-out prompts and measures how often they break each state category
/// (StoryReader), how often the truth gives them probability zero (ExactStoryScorer), and what sampling costs.
/// </summary>
internal sealed record BreakRateReport(BreakRates Rates, double ImpossibleShare, double UnexplainedShare, double MeanTrueLogProb, double SamplingSeconds, IReadOnlyList<string> Examples, IReadOnlyList<string[]> Texts)
{
    public static BreakRateReport Measure(Policy policy, StoryWorld world, IReadOnlyList<string> heldOut, int promptLength, int responseLength, int prompts, int seed)
    {
        var tokenizer = policy.Tokenizer;
        var promptIds = TextCorpus.Prompts(tokenizer, heldOut, promptLength).Take(prompts).ToArray();
        var options = new SamplingOptions { ResponseLength = responseLength, Temperature = 1.0, BatchSize = 256 };
        using var generator = new Generator((ulong)seed, policy.Device);
        var clock = Stopwatch.StartNew();
        var samples = PolicySampler.SampleAll(policy.Model, policy.Model, promptIds, 1, options, generator);
        double seconds = clock.Elapsed.TotalSeconds;
        var reader = new StoryReader(world);
        var scorer = new ExactStoryScorer(world);
        var rates = new BreakRates();
        int impossible = 0, unexplained = 0;
        double trueLogProb = 0;
        int possible = 0;
        var examples = new List<string>();
        var texts = new List<string[]>();
        foreach (var sample in samples)
        {
            var tokens = sample.Prompt.Concat(sample.Response).Select(tokenizer.TokenText).ToArray();
            texts.Add(tokens);
            var reading = reader.Read(tokens);
            rates.Add(reading, promptLength);
            var logProbs = scorer.StreamLogProbabilities(tokens);
            var response = logProbs.Skip(promptLength).ToArray();
            bool isImpossible = response.Any(double.IsNegativeInfinity);
            bool flagged = reading.From(promptLength).Any();
            if (isImpossible)
            {
                impossible++;
                if (!flagged)
                {
                    unexplained++;
                    if (examples.Count < 5)
                    {
                        int at = Array.FindIndex(logProbs, double.IsNegativeInfinity);
                        examples.Add($"unexplained at {at} '{tokens[at]}': {string.Join(' ', tokens)}");
                    }
                }
            }
            else
            {
                possible++;
                trueLogProb += response.Where(v => !double.IsNaN(v)).Sum();
            }
        }
        return new BreakRateReport(rates, impossible / (double)samples.Count, unexplained / (double)samples.Count, possible > 0 ? trueLogProb / possible : double.NaN, seconds, examples, texts);
    }

    public override string ToString()
        => $"{Rates}; impossible under the truth {ImpossibleShare:P1} (unexplained by the reader {UnexplainedShare:P1}); sampling {SamplingSeconds:F1} s";
}
