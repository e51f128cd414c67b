using Microsoft.ML;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.RewardModels;

namespace OverOpt.MLNet.Trainers;

/// <summary>A reward model's validation loss and accuracy on held-out preference rows, as every reward trainer records them.</summary>
internal static class RewardModelValidation
{
    /// <summary><paramref name="model"/> with its Bradley-Terry loss and pairwise accuracy on <paramref name="validationData"/> (raw scores).</summary>
    public static RewardModel Validated(MLContext mlContext, IDataView validationData, RewardColumns columns, string name, RewardModel model)
    {
        var rows = PreferenceData.ReadPairs(mlContext, validationData, columns, $"validating reward model '{name}'");
        var prompts = rows.Select(r => r.PromptTokens).ToArray();
        var metrics = PairwiseMetrics.Compute(
            model.RawScore(prompts, rows.Select(r => r.ChosenTokens).ToArray()),
            model.RawScore(prompts, rows.Select(r => r.RejectedTokens).ToArray()));
        return model.WithInfo(model.Info with { ValidationLoss = metrics.BradleyTerryLoss, ValidationAccuracy = metrics.PairwiseAccuracy });
    }
}
