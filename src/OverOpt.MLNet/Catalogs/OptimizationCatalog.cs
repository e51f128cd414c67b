using Microsoft.ML;
using OverOpt.MLNet.Ppo;

namespace OverOpt.MLNet;

/// <summary>Policy optimization against reward models. Reached as <c>mlContext.Optimization()</c>.</summary>
public sealed class OptimizationCatalog
{
    private readonly MLContext _ml;

    internal OptimizationCatalog(MLContext mlContext)
    {
        _ml = mlContext;
    }

    /// <summary>KL-regularized PPO; <c>Fit</c> takes an IDataView of prompts (PromptTokens).</summary>
    public PpoTrainer Ppo(PpoTrainer.Options options) => new(_ml, options);

    /// <summary>Direct alignment (DPO, IPO, SLiC) with no reward model; <c>Fit</c> takes preference rows (<see cref="Comparisons.PreferenceRow"/>).</summary>
    public DirectAlignment.DirectAlignmentTrainer DirectAlignment(DirectAlignment.DirectAlignmentTrainer.Options options) => new(_ml, options);
}
