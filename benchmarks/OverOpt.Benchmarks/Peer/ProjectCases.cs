using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using TorchSharp;

namespace OverOpt.Benchmarks.Peer;

/// <summary>
/// The project's side of each peer path, built from the BenchmarkDotNet class that defines it (its set-up, its
/// operation, its units), so the peer table and the BenchmarkDotNet tables time the same call.
/// </summary>
internal static class ProjectCases
{
    public const string RewardTraining = "rm-train";
    public const string RewardScoring = "rm-score";
    public const string PpoStep = "ppo-step";
    public const string Sampling = "sample-kv";

    public static readonly string[] Paths = [RewardTraining, RewardScoring, PpoStep, Sampling];

    public static PeerCase Create(string path, string shape) => path switch
    {
        RewardTraining => RewardModelTraining(shape),
        RewardScoring => RewardModelScoring(shape),
        PpoStep => Ppo(shape),
        Sampling => KvSampling(shape),
        _ => throw new ArgumentException($"unknown peer path '{path}'; the paths are {string.Join(", ", Paths)}.", nameof(path)),
    };

    private static PeerCase RewardModelTraining(string shape)
    {
        var benchmark = new RewardModelTrainingBenchmarks { Shape = shape };
        benchmark.Setup();
        return new PeerCase(RewardTraining, shape, "comparison-epoch", RewardModelTrainingBenchmarks.ComparisonEpochs, RewardNetworkParameters(shape),
            benchmark.Fit, benchmark.Cleanup);
    }

    private static PeerCase RewardModelScoring(string shape)
    {
        var benchmark = new RewardModelScoringBenchmarks { Shape = shape };
        benchmark.Setup();
        return new PeerCase(RewardScoring, shape, "sample", RewardModelScoringBenchmarks.Samples, RewardNetworkParameters(shape),
            () => benchmark.Score(), benchmark.Cleanup);
    }

    private static PeerCase Ppo(string shape)
    {
        if (shape != PpoBenchmarks.ShapeName)
        {
            throw new ArgumentException($"the PPO benchmark has one shape, {PpoBenchmarks.ShapeName}; '{shape}' was asked for.", nameof(shape));
        }
        var benchmark = new PpoBenchmarks();
        benchmark.Setup();
        var policyShape = Shapes.Parse(shape, Shapes.Tokenizer.VocabularySize);
        // The policy and its value head (d weights and a bias) are what one step trains.
        return new PeerCase(PpoStep, shape, "step", PpoBenchmarks.Steps, PolicyParameters(policyShape) + policyShape.ModelDim + 1,
            benchmark.PpoStep, benchmark.Cleanup);
    }

    private static PeerCase KvSampling(string shape)
    {
        var benchmark = new SamplingBenchmarks { Shape = shape };
        benchmark.Setup();
        return new PeerCase(Sampling, shape, "token", SamplingBenchmarks.Tokens, PolicyParameters(Shapes.Parse(shape, SamplingBenchmarks.Vocabulary)),
            benchmark.KvCache, benchmark.Cleanup);
    }

    private static long RewardNetworkParameters(string shape)
    {
        using var network = new RewardNetwork(Shapes.Parse(shape, Shapes.Tokenizer.VocabularySize), seed: 1);
        return Count(network);
    }

    private static long PolicyParameters(GptShape shape)
    {
        using var model = new GptModel(shape, seed: 1);
        return Count(model);
    }

    private static long Count(torch.nn.Module module) => module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
}
