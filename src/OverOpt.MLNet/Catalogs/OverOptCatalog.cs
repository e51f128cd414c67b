using Microsoft.ML;

namespace OverOpt.MLNet;

/// <summary>The entry points of OverOpt.MLNet on an <see cref="MLContext"/>, in the way ML.NET's own catalogs are reached.</summary>
public static class OverOptCatalog
{
    /// <summary>Pretraining, loading and sampling of language-model policies.</summary>
    public static PolicyCatalog Policies(this MLContext mlContext) => new(mlContext);

    /// <summary>Gold and proxy reward models: training, labelling, saving, loading.</summary>
    public static RewardModelCatalog RewardModels(this MLContext mlContext) => new(mlContext);

    /// <summary>Overoptimization curves (best-of-n) and the fits of their functional forms.</summary>
    public static OveroptimizationCatalog Overoptimization(this MLContext mlContext) => new(mlContext);

    /// <summary>Optimizing a policy against a reward: PPO.</summary>
    public static OptimizationCatalog Optimization(this MLContext mlContext) => new(mlContext);
}
