using Microsoft.ML;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// Schema shapes of the estimators: the input's columns plus the float Score, or a row type's columns alone. SchemaShape.Column has no public
/// constructor (dotnet/machinelearning #3243), so the shape comes from a CustomMapping estimator that adds Score.
/// </summary>
internal static class RewardSchemas
{
    public static SchemaShape WithScore(MLContext mlContext, SchemaShape input)
        => mlContext.Transforms.CustomMapping<NoColumns, RewardScore>((_, _) => { }, contractName: null).GetOutputSchema(input);

    /// <summary>The shape of a view of <typeparamref name="TRow"/> rows alone, as a transformer that replaces its input's columns declares it.</summary>
    public static SchemaShape Of<TRow>(MLContext mlContext)
        where TRow : class, new()
        => mlContext.Transforms.CustomMapping<NoColumns, TRow>((_, _) => { }, contractName: null).GetOutputSchema(new SchemaShape([]));

    private sealed class NoColumns
    {
    }
}
