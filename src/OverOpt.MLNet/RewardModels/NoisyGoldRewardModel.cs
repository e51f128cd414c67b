using Microsoft.ML;
using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// A proxy that is gold plus independent noise, X_hat = X + Z (the paper's regressional Goodhart, sec. 4.2): gold's
/// score of each response plus <see cref="ResponseNoise"/> of it, not renormalized, so that gold's rise against the
/// proxy's can be set beside Var X / (Var X + Var Z). Built by <see cref="Trainers.NoisyGoldRewardTrainer"/>. It holds no
/// weights of its own, only gold and a seed: it is rebuilt from them, not saved.
/// </summary>
public sealed class NoisyGoldRewardModel : RewardModel
{
    /// <summary>The <see cref="RewardModelInfo.Kind"/> of noisy-gold proxies.</summary>
    public const string KindName = "noisyGold";

    private readonly IRewardScorer _gold;

    private NoisyGoldRewardModel(ITransformer transformer, RewardModelInfo info, WordTokenizer tokenizer, IRewardScorer gold, ResponseNoise noise)
        : base(transformer, info, tokenizer)
    {
        _gold = gold;
        Noise = noise;
    }

    /// <summary>The noise added to gold.</summary>
    public ResponseNoise Noise { get; }

    internal static NoisyGoldRewardModel Create(MLContext mlContext, IRewardScorer gold, ResponseNoise noise, RewardModelInfo info, WordTokenizer tokenizer)
    {
        NoisyGoldRewardModel? model = null;
        var mapping = BatchScorerMapping(mlContext, (prompt, response) => model!.Score([prompt], [response])[0]);
        model = new NoisyGoldRewardModel(ReadingColumns(mlContext, mapping, info), info with { Kind = KindName, Offset = 0, Scale = 1 }, tokenizer, gold, noise);
        return model;
    }

    /// <summary>Gold's score plus the response's noise.</summary>
    public override float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses)
    {
        var gold = _gold.Score(prompts, responses);
        for (int i = 0; i < gold.Length; i++)
        {
            gold[i] = (float)(gold[i] + Noise.Of(prompts[i], responses[i]));
        }
        return gold;
    }

    /// <summary>The same as <see cref="Score"/>: nothing is normalized.</summary>
    public override float[] RawScore(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses) => Score(prompts, responses);

    /// <inheritdoc/>
    public override RewardModel WithInfo(RewardModelInfo info) => new NoisyGoldRewardModel(Transformer, info, Tokenizer, _gold, Noise);

    private protected override IReadOnlyDictionary<string, byte[]> PayloadEntries()
        => throw new NotSupportedException($"reward model '{Name}' is gold plus seeded noise and holds no weights of its own, so it is not saved. "
            + "Fix: rebuild it with mlContext.RewardModels().Trainers.NoisyGold from the same gold, noise settings and seed (it is the same function).");
}
