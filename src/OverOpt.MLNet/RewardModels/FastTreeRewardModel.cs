using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// A reward model that is an ordinary ML.NET chain: token n-gram features, a FastTree ranking model (trained with one
/// group per comparison, so its pairwise logistic loss is Bradley-Terry's) and the pi_init normalization. Reads only
/// the response: the n-grams carry no position, so the prompt adds nothing a tree could split on.
/// </summary>
public sealed class FastTreeRewardModel : RewardModel
{
    /// <summary>The <see cref="RewardModelInfo.Kind"/> of FastTree reward models, recorded in their files.</summary>
    public const string KindName = "fasttree";
    private readonly MLContext _ml;

    private FastTreeRewardModel(MLContext mlContext, ITransformer transformer, RewardModelInfo info, WordTokenizer tokenizer)
        : base(transformer, info, tokenizer)
    {
        _ml = mlContext;
    }

    internal static FastTreeRewardModel Create(MLContext mlContext, ITransformer chain, RewardModelInfo info, WordTokenizer tokenizer)
        => new(mlContext, ReadingColumns(mlContext, chain, info), info with { Kind = KindName }, tokenizer);

    /// <inheritdoc/>
    public override float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses)
    {
        var rows = prompts.Zip(responses, (p, r) => new RewardInput { PromptTokens = p, ResponseTokens = r });
        var scored = Transformer.Transform(RewardInput.Rows(_ml, Info, rows));
        return scored.GetColumn<float>(RewardScore.ScoreColumn).ToArray();
    }

    /// <summary>The ranking model's own scores: the normalization undone.</summary>
    public override float[] RawScore(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses)
        => Score(prompts, responses).Select(s => (float)(s / Info.Scale + Info.Offset)).ToArray();

    /// <inheritdoc/>
    public override RewardModel WithInfo(RewardModelInfo info) => new FastTreeRewardModel(_ml, Transformer, info, Tokenizer);

    private protected override IReadOnlyDictionary<string, byte[]> PayloadEntries() => new Dictionary<string, byte[]>();

    internal static FastTreeRewardModel Load(MLContext mlContext, string path, RewardModelInfo info, WordTokenizer tokenizer)
    {
        using var file = File.OpenRead(path);
        return new FastTreeRewardModel(mlContext, mlContext.Model.Load(file, out _), info, tokenizer);
    }
}
