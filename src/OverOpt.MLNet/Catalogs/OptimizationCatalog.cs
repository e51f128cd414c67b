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
}
