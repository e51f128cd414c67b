using Microsoft.ML;
using OverOpt.MLNet.Policies;

namespace OverOpt.MLNet;

/// <summary>The entry points of OverOpt.MLNet on an <see cref="MLContext"/>, in the way ML.NET's own catalogs are reached.</summary>
public static class OverOptCatalog
{
    /// <summary>Pretraining, loading and sampling of language-model policies.</summary>
    public static PolicyCatalog Policies(this MLContext mlContext) => new(mlContext);
}
