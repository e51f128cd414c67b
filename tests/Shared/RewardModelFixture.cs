using Microsoft.ML;
using OverOpt.MLNet;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using static TorchSharp.torch;

namespace OverOpt.Testing;

/// <summary>
/// A tiny pretrained policy and 5,000 comparisons of its samples labelled by the gold preference rule itself (the
/// rule stands in for the gold network here, to keep the tests fast), shared by the reward-model tests.
/// </summary>
public sealed class RewardModelFixture : IDisposable
{
    public RewardModelFixture()
    {
        Ml = new MLContext(1);
        Policy = TestModels.PretrainTiny(Ml, context: 24, seed: 1);
        var prompts = TextCorpus.Prompts(Policy.Tokenizer, TestModels.Corpus.TrainStories, 6).Take(500).ToArray();
        using var generator = new Generator(4);
        var samples = PolicySampler.SampleAll(Policy.Model, Policy.Model, prompts, 20, new SamplingOptions { ResponseLength = 12, BatchSize = 1000 }, generator);
        var rule = new GoldPreference(Policy.Tokenizer, TestModels.Corpus);
        var rows = new List<ComparisonRow>();
        for (int i = 0; i + 1 < samples.Count; i += 2)
        {
            var (a, b) = (samples[i], samples[i + 1]);
            float goldA = (float)rule.Score(a.Prompt, a.Response), goldB = (float)rule.Score(b.Prompt, b.Response);
            var (chosen, rejected, chosenGold, rejectedGold) = goldA >= goldB ? (a, b, goldA, goldB) : (b, a, goldB, goldA);
            rows.Add(new ComparisonRow { PromptTokens = a.Prompt, ChosenTokens = chosen.Response, RejectedTokens = rejected.Response, ChosenGold = chosenGold, RejectedGold = rejectedGold });
        }
        Rows = rows;
        TrainComparisons = Ml.Data.LoadFromEnumerable(rows.Skip(500));
        Train = Ml.RewardModels().ToPreferenceRows(TrainComparisons);
        Validation = Ml.RewardModels().ToPreferenceRows(Ml.Data.LoadFromEnumerable(rows.Take(500)));
    }

    public MLContext Ml { get; }

    public Policy Policy { get; }

    public IReadOnlyList<ComparisonRow> Rows { get; }

    /// <summary>The training comparisons as comparison rows (one row per comparison).</summary>
    public IDataView TrainComparisons { get; }

    /// <summary>The training comparisons as preference rows (two rows per comparison), what the trainers fit on.</summary>
    public IDataView Train { get; }

    public IDataView Validation { get; }

    public void Dispose() => Policy.Dispose();
}
