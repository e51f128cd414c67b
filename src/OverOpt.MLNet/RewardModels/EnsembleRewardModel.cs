using Microsoft.ML;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// k reward models of one recipe (different seeds, the same comparisons) scored as one objective (Coste et al. 2024): their
/// mean, their worst case (the lowest member) or the uncertainty-weighted mean, mean - lambda * variance, the variance
/// over members the population one (divided by k) as in <see cref="EnsembleObjectives"/>, so that best-of-n and PPO
/// optimize the same function. PPO reads <see cref="Disagreement(float[][])"/> to follow the members' spread along a run.
/// </summary>
public sealed class EnsembleRewardModel : RewardModel
{
    /// <summary>The <see cref="RewardModelInfo.Kind"/> of ensembles.</summary>
    public const string KindName = "ensemble";

    private readonly bool _ownsMembers;

    private EnsembleRewardModel(ITransformer transformer, RewardModelInfo info, WordTokenizer tokenizer, IReadOnlyList<RewardModel> members,
        BestOfNObjective objective, double uncertaintyPenalty, bool ownsMembers)
        : base(transformer, info, tokenizer)
    {
        Members = members;
        Objective = objective;
        UncertaintyPenalty = uncertaintyPenalty;
        _ownsMembers = ownsMembers;
    }

    /// <summary>The members, in order.</summary>
    public IReadOnlyList<RewardModel> Members { get; }

    /// <summary>What the ensemble scores: <see cref="BestOfNObjective.Mean"/>, <see cref="BestOfNObjective.WorstCase"/> or <see cref="BestOfNObjective.UncertaintyWeighted"/>.</summary>
    public BestOfNObjective Objective { get; }

    /// <summary>lambda of the uncertainty-weighted objective.</summary>
    public double UncertaintyPenalty { get; }

    /// <summary>
    /// Combines <paramref name="members"/> (normalized scores, one tokenizer) into one reward model named
    /// <paramref name="name"/>. With <paramref name="ownsMembers"/> the ensemble disposes them; otherwise the caller does,
    /// after the ensemble (e.g. members shared by several ensembles).
    /// </summary>
    public static EnsembleRewardModel Create(MLContext mlContext, string name, IReadOnlyList<RewardModel> members, BestOfNObjective objective,
        double uncertaintyPenalty, bool ownsMembers)
    {
        if (members.Count < 2)
        {
            throw new ArgumentException($"an ensemble needs at least 2 members, not {members.Count}.", nameof(members));
        }
        if (objective == BestOfNObjective.Single)
        {
            throw new ArgumentException("an ensemble scores the mean, the worst case or the uncertainty-weighted mean of its members.", nameof(objective));
        }
        if (!(uncertaintyPenalty >= 0) || double.IsInfinity(uncertaintyPenalty))
        {
            throw new ArgumentOutOfRangeException(nameof(uncertaintyPenalty), uncertaintyPenalty, "lambda must be a finite number >= 0.");
        }
        var first = members[0].Info;
        var info = new RewardModelInfo
        {
            Name = name,
            Kind = KindName,
            Parameters = members.Sum(m => m.Info.Parameters),
            TrainingComparisons = first.TrainingComparisons,
            PromptColumnName = first.PromptColumnName,
            ResponseColumnName = first.ResponseColumnName,
            Provenance = $"{KindName}|{objective}|{uncertaintyPenalty:R}|{string.Join("|", members.Select(m => m.Provenance))}",
        };
        EnsembleRewardModel? model = null;
        var mapping = BatchScorerMapping(mlContext, (prompt, response) => model!.Score([prompt], [response])[0]);
        model = new EnsembleRewardModel(ReadingColumns(mlContext, mapping, info), info, members[0].Tokenizer, members, objective, uncertaintyPenalty, ownsMembers);
        return model;
    }

    /// <summary>Each member's scores: [member][sample].</summary>
    public float[][] MemberScores(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses)
        => Members.Select(m => m.Score(prompts, responses)).ToArray();

    /// <summary>The population variance of the members' scores of each sample: how much they disagree.</summary>
    public double[] Disagreement(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses) => Disagreement(MemberScores(prompts, responses));

    /// <summary>The objective of each sample.</summary>
    public override float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses) => Combine(MemberScores(prompts, responses));

    /// <summary>The same as <see cref="Score"/>: the members' scores are normalized already, the objective is not renormalized.</summary>
    public override float[] RawScore(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses) => Score(prompts, responses);

    /// <summary>The objective of each sample from its members' scores ([member][sample]).</summary>
    public float[] Combine(float[][] memberScores)
    {
        var row = new float[memberScores.Length];
        var result = new float[memberScores[0].Length];
        for (int i = 0; i < result.Length; i++)
        {
            for (int m = 0; m < row.Length; m++)
            {
                row[m] = memberScores[m][i];
            }
            result[i] = (float)EnsembleObjectives.Evaluate(Objective, row, UncertaintyPenalty);
        }
        return result;
    }

    /// <summary>The population variance over members of each sample ([member][sample]).</summary>
    public static double[] Disagreement(float[][] memberScores)
        => Enumerable.Range(0, memberScores[0].Length).Select(i =>
        {
            double mean = memberScores.Average(m => (double)m[i]);
            return memberScores.Average(m => (m[i] - mean) * (m[i] - mean));
        }).ToArray();

    /// <inheritdoc/>
    public override RewardModel WithInfo(RewardModelInfo info) => new EnsembleRewardModel(Transformer, info, Tokenizer, Members, Objective, UncertaintyPenalty, _ownsMembers);

    /// <summary>Disposes the members where the ensemble owns them.</summary>
    public override void Dispose()
    {
        if (_ownsMembers)
        {
            foreach (var member in Members)
            {
                member.Dispose();
            }
        }
    }

    private protected override IReadOnlyDictionary<string, byte[]> PayloadEntries()
        => throw new NotSupportedException($"reward model '{Name}' is an ensemble of {Members.Count} reward models and is not saved as one file. "
            + "Fix: save each of its Members, and rebuild the ensemble with mlContext.RewardModels().Ensemble from the loaded members.");
}
