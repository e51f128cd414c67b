using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// The ML.NET chain that runs a transformer reward model row by row and saves with <c>mlContext.Model.Save</c>:
/// a constant key column, a ValueMapping from that key to the packed network (<see cref="RewardNetworkWeights"/>), the
/// network's CustomMapping (which reads the weights once and keeps the network), and a drop of both helper columns, so
/// the chain adds only <c>Score</c>. Every piece is a public ML.NET component, so <c>mlContext.Model.Load</c> rebuilds
/// it in any process: the CustomMappings record this assembly's name, which ML.NET registers itself when it loads them.
/// </summary>
internal static class RewardNetworkMapping
{
    public const string KeyColumn = "RewardNetworkKey";
    public const string WeightsColumn = "RewardNetworkWeights";

    public static ITransformer Build(MLContext mlContext, TransformerRewardScorer scorer)
    {
        var empty = mlContext.Data.LoadFromEnumerable(Array.Empty<RewardInput>());
        var weights = RewardNetworkWeights.Pack(scorer.Network);
        var estimator = mlContext.Transforms.CustomMapping<RewardNetworkKeyInput, RewardNetworkKey>(RewardNetworkKeyFactory.Map, RewardNetworkKeyFactory.ContractName)
            .Append(mlContext.Transforms.Conversion.MapValue(WeightsColumn, new[] { new KeyValuePair<int, float[]>(0, weights) }, KeyColumn))
            .Append(mlContext.Transforms.CustomMapping<RewardNetworkInput, RewardScore>(
                (input, output) => output.Score = scorer.Raw([input.PromptTokens], [input.ResponseTokens])[0], RewardNetworkScorerFactory.ContractName))
            .Append(mlContext.Transforms.DropColumns(KeyColumn, WeightsColumn));
        return estimator.Fit(empty);
    }
}

/// <summary>No columns: the key mapping reads nothing.</summary>
public sealed class RewardNetworkKeyInput
{
}

/// <summary>The constant key under which a transformer reward model's ML.NET chain stores its network.</summary>
public sealed class RewardNetworkKey
{
    /// <summary>Always 0: one network per chain.</summary>
    [ColumnName(RewardNetworkMapping.KeyColumn)]
    public int Key { get; set; }
}

/// <summary>A row the network's CustomMapping reads: the tokens to score and the packed network.</summary>
public sealed class RewardNetworkInput
{
    /// <summary>The prompt's token ids.</summary>
    [ColumnName(RewardInput.PromptColumn)]
    [VectorType]
    public int[] PromptTokens { get; set; } = [];

    /// <summary>The response's token ids, scored as read after the prompt.</summary>
    [ColumnName(RewardInput.ResponseColumn)]
    [VectorType]
    public int[] ResponseTokens { get; set; } = [];

    /// <summary>The packed network (<see cref="RewardNetworkWeights"/>), the same in every row.</summary>
    [ColumnName(RewardNetworkMapping.WeightsColumn)]
    [VectorType]
    public float[] Weights { get; set; } = [];
}

/// <summary>ML.NET's factory of the key mapping of a loaded transformer reward model.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class RewardNetworkKeyFactory : CustomMappingFactory<RewardNetworkKeyInput, RewardNetworkKey>
{
    /// <summary>The name ML.NET saves with the mapping and finds this factory by.</summary>
    public const string ContractName = "OverOpt.RewardNetworkKey";

    internal static void Map(RewardNetworkKeyInput input, RewardNetworkKey output) => output.Key = 0;

    /// <inheritdoc/>
    public override Action<RewardNetworkKeyInput, RewardNetworkKey> GetMapping() => Map;
}

/// <summary>
/// ML.NET's factory of the scoring mapping of a loaded transformer reward model. Each mapping it makes belongs to one
/// loaded model: it builds that model's network from the weights of the first row it sees and keeps it.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class RewardNetworkScorerFactory : CustomMappingFactory<RewardNetworkInput, RewardScore>
{
    /// <summary>The name ML.NET saves with the mapping and finds this factory by.</summary>
    public const string ContractName = "OverOpt.RewardNetworkScorer";

    /// <inheritdoc/>
    public override Action<RewardNetworkInput, RewardScore> GetMapping()
    {
        // A fresh process may reach TorchSharp first here, inside mlContext.Model.Load.
        Torch.TorchRuntime.EnsureLoaded();
        var gate = new object();
        TransformerRewardScorer? scorer = null;
        return (input, output) =>
        {
            lock (gate)
            {
                scorer ??= new TransformerRewardScorer(RewardNetworkWeights.Unpack(input.Weights));
            }
            output.Score = scorer.Raw([input.PromptTokens], [input.ResponseTokens])[0];
        };
    }
}
