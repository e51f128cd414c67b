using Microsoft.ML;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// Schema shapes of reward estimators: the input's columns plus the float Score. SchemaShape.Column has no public
/// constructor (dotnet/machinelearning #3243), so the shape comes from a CustomMapping estimator that adds Score.
/// </summary>
internal static class RewardSchemas
{
    public static SchemaShape WithScore(MLContext mlContext, SchemaShape input)
        => mlContext.Transforms.CustomMapping<NoColumns, RewardScore>((_, _) => { }, contractName: null).GetOutputSchema(input);

    private sealed class NoColumns
    {
    }
}
