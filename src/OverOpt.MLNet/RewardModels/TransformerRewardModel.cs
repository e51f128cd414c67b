using System.Text.Json;
using Microsoft.ML;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.RewardModels;

/// <summary>A reward model whose scorer is a TorchSharp <see cref="RewardNetwork"/> (gold, and the transformer proxies).</summary>
public sealed class TransformerRewardModel : RewardModel
{
    /// <summary>The <see cref="RewardModelInfo.Kind"/> of transformer reward models, recorded in their files.</summary>
    public const string KindName = "transformer";
    private const string NetworkEntry = "OverOpt/network.bin";
    private const string ShapeEntry = "OverOpt/shape.json";

    // Written only for a readout other than mean pooling, so that pooled models' archives stay as they were.
    private const string ReadoutEntry = "OverOpt/readout.json";
    private readonly TransformerRewardScorer _scorer;

    private TransformerRewardModel(ITransformer transformer, RewardModelInfo info, WordTokenizer tokenizer, TransformerRewardScorer scorer)
        : base(transformer, info, tokenizer)
    {
        _scorer = scorer;
    }

    /// <summary>The TorchSharp network behind <see cref="Score(IReadOnlyList{int[]}, IReadOnlyList{int[]})"/> and <see cref="RawScore"/>, freed with this model and shared by copies from <see cref="WithInfo"/> (the ML.NET chain carries its own copy of the weights).</summary>
    public RewardNetwork Network => _scorer.Network;

    /// <summary>
    /// Wraps a trained network: its ML.NET scoring chain (<see cref="RewardNetworkMapping"/>, which carries the weights)
    /// followed by NormalizeMeanVariance fitted on its raw scores of pi_init's samples
    /// <paramref name="normalizationPrompts"/>/<paramref name="normalizationResponses"/>, whose scoring reports to
    /// <paramref name="progress"/> (a gold's are tens of thousands of samples, minutes of work).
    /// </summary>
    public static TransformerRewardModel Create(
        MLContext mlContext, RewardNetwork network, WordTokenizer tokenizer, RewardModelInfo info,
        IReadOnlyList<int[]> normalizationPrompts, IReadOnlyList<int[]> normalizationResponses, IProgress<ProgressUpdate>? progress = null)
    {
        var scorer = new TransformerRewardScorer(network);
        var raw = scorer.Raw(normalizationPrompts, normalizationResponses, progress: progress, stage: $"normalize {info.Name}");
        var (normalizer, offset, scale) = RewardNormalization.Fit(mlContext, raw);
        var chain = ReadingColumns(mlContext, RewardNetworkMapping.Build(mlContext, scorer).Append(normalizer), info);
        return new TransformerRewardModel(chain, info with { Kind = KindName, Parameters = network.ParameterCount, Offset = offset, Scale = scale }, tokenizer, scorer);
    }

    /// <inheritdoc/>
    public override float[] RawScore(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses) => _scorer.Raw(prompts, responses);

    /// <inheritdoc/>
    public override float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses) => Normalize(RawScore(prompts, responses));

    /// <summary>
    /// <see cref="Score(IReadOnlyList{int[]}, IReadOnlyList{int[]})"/>, with the pairs scored so far going to
    /// <paramref name="progress"/> as <c>score NAME</c> after every batch: the same batches, so the very scores.
    /// </summary>
    public float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses, IProgress<ProgressUpdate>? progress)
        => Normalize(_scorer.Raw(prompts, responses, progress: progress, stage: $"score {Info.Name}"));

    /// <summary>
    /// What identifies the frozen language model whose likelihood this model reads (<see cref="RewardNetwork.LanguageModelFingerprint"/>);
    /// null for a mean-pool model. Models with the same fingerprint give the same <see cref="LanguageModelLikelihoods"/>.
    /// </summary>
    public string? LanguageModelFingerprint => Network.LanguageModelFingerprint;

    /// <summary>
    /// The frozen language model's log-likelihood of each pair, to pass to <see cref="Score(IReadOnlyList{int[]}, IReadOnlyList{int[]}, float[], IProgress{ProgressUpdate})"/>
    /// of any model with the same fingerprint; pairs done so far go to <paramref name="progress"/> as <c>likelihoods NAME</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model reads no likelihood.</exception>
    public float[] LanguageModelLikelihoods(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses, IProgress<ProgressUpdate>? progress = null)
        => _scorer.Likelihoods(prompts, responses, progress, $"likelihoods {Info.Name}");

    /// <summary>
    /// <see cref="Score(IReadOnlyList{int[]}, IReadOnlyList{int[]})"/> with the likelihoods computed before, by a model with the same
    /// <see cref="LanguageModelFingerprint"/> on the same pairs: the very scores, without the language model's pass. Pairs
    /// scored so far go to <paramref name="progress"/> as <c>score NAME</c>.
    /// </summary>
    public float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses, float[] likelihoods, IProgress<ProgressUpdate>? progress = null)
        => Normalize(_scorer.Raw(prompts, responses, likelihoods, progress, $"score {Info.Name}"));

    /// <inheritdoc/>
    public override RewardModel WithInfo(RewardModelInfo info) => new TransformerRewardModel(Transformer, info, Tokenizer, _scorer);

    /// <inheritdoc/>
    public override void Dispose() => Network.Dispose();

    private protected override IReadOnlyDictionary<string, byte[]> PayloadEntries()
    {
        using var weights = new MemoryStream();
        Network.save(weights);
        var entries = new Dictionary<string, byte[]>
        {
            [NetworkEntry] = weights.ToArray(),
            [ShapeEntry] = JsonSerializer.SerializeToUtf8Bytes(Network.Shape, ArchiveJson.Options),
        };
        if (Network.Readout != RewardReadout.MeanPool)
        {
            entries[ReadoutEntry] = JsonSerializer.SerializeToUtf8Bytes(Network.Readout.ToString(), ArchiveJson.Options);
        }
        return entries;
    }

    internal static TransformerRewardModel Load(MLContext mlContext, string path, IReadOnlyDictionary<string, byte[]> entries, RewardModelInfo info, WordTokenizer tokenizer)
    {
        RewardNetwork network;
        try
        {
            var shape = JsonSerializer.Deserialize<GptShape>(entries[ShapeEntry], ArchiveJson.Options)!;
            var readout = entries.TryGetValue(ReadoutEntry, out var named) ? Enum.Parse<RewardReadout>(JsonSerializer.Deserialize<string>(named, ArchiveJson.Options)!) : RewardReadout.MeanPool;
            network = new RewardNetwork(shape, seed: 0, readout);
            using var weights = new MemoryStream(entries[NetworkEntry]);
            network.load(weights);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: the reward network's shape or weights are unreadable ({e.Message}). Fix: save the model again.", e);
        }
        // The ML.NET chain carries its own copy of the weights and loads through public ML.NET components alone.
        using var file = File.OpenRead(path);
        var transformer = mlContext.Model.Load(file, out _);
        return new TransformerRewardModel(transformer, info, tokenizer, new TransformerRewardScorer(network));
    }
}
