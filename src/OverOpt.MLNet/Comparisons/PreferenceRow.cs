using Microsoft.ML.Data;
using OverOpt.MLNet.RewardModels;

namespace OverOpt.MLNet.Comparisons;

/// <summary>
/// One response of a labelled comparison, in the layout ML.NET's ranking trainers and <c>Ranking.Evaluate</c> read and
/// the reward trainers fit on: two rows per comparison that share a <see cref="GroupId"/>, <see cref="Label"/> 1 for the
/// chosen response and 0 for the rejected one. A reward model fitted on such rows scores them as they are, so
/// <c>trainer.Fit(data).Transform(data)</c> works as for any ML.NET trainer. Make them from comparison rows with
/// <c>mlContext.RewardModels().ToPreferenceRows</c>.
/// </summary>
public sealed class PreferenceRow
{
    /// <summary>The comparison this response belongs to.</summary>
    [ColumnName(RewardColumnDefaults.GroupId)]
    public uint GroupId { get; set; }

    /// <summary>1 for the chosen response, 0 for the rejected one.</summary>
    [ColumnName(RewardColumnDefaults.Label)]
    public float Label { get; set; }

    /// <summary>The prompt's token ids.</summary>
    [ColumnName(RewardColumnDefaults.Prompt)]
    [VectorType]
    public int[] PromptTokens { get; set; } = [];

    /// <summary>The response's token ids.</summary>
    [ColumnName(RewardColumnDefaults.Response)]
    [VectorType]
    public int[] ResponseTokens { get; set; } = [];

    /// <summary>Gold's normalized score of this response (0 where the comparison carries none).</summary>
    [ColumnName(RewardColumnDefaults.Gold)]
    public float Gold { get; set; }
}
