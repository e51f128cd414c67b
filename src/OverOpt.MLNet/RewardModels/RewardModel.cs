using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// A reward model: an ML.NET <see cref="ITransformer"/> that adds a float <c>Score</c> column to rows holding
/// <c>PromptTokens</c> and <c>ResponseTokens</c>, normalized so that pi_init's samples score mean 0 and std 1.
/// Beside the row-by-row ML.NET path it scores whole batches at once (<see cref="Score"/>), which is what
/// best-of-n and PPO use. Saves to a .zip that is also an ML.NET model file.
/// </summary>
public abstract class RewardModel : ITransformer, IRewardScorer, IDisposable
{
    /// <summary>Layout version of saved reward models; <see cref="Load"/> refuses files of another version.</summary>
    public const int FormatVersion = 3;
    internal const string ArchiveKind = "OverOpt.RewardModel";
    internal const string InfoEntry = "OverOpt/reward.json";
    internal const string VocabularyEntry = "OverOpt/vocabulary.json";

    private protected RewardModel(ITransformer transformer, RewardModelInfo info, WordTokenizer tokenizer)
    {
        Transformer = transformer;
        Info = info;
        Tokenizer = tokenizer;
    }

    /// <summary>The ML.NET transformer chain (scorer, then the pi_init normalization).</summary>
    public ITransformer Transformer { get; }

    /// <summary>What is known of the model (name, kind, size, validation metrics, normalization, columns), saved with it.</summary>
    public RewardModelInfo Info { get; }

    /// <summary>The tokenizer of the ids it reads, so that text can be scored too.</summary>
    public WordTokenizer Tokenizer { get; }

    /// <summary>The model's name from <see cref="Info"/>: "gold" or the proxy's name.</summary>
    public string Name => Info.Name;

    /// <summary>The cache provenance where it has one; else what tells two models of one name apart (kind, size, normalization).</summary>
    public string Provenance => string.IsNullOrEmpty(Info.Provenance)
        ? $"{Name}|{Info.Kind}|{Info.Parameters}|{Info.Offset:R}|{Info.Scale:R}"
        : Info.Provenance;

    /// <summary>Normalized scores of each (prompt, response) pair, computed in batches.</summary>
    public abstract float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses);

    /// <summary>Raw scores, before normalization.</summary>
    public abstract float[] RawScore(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses);

    /// <inheritdoc/>
    public bool IsRowToRowMapper => Transformer.IsRowToRowMapper;

    /// <summary>The input schema plus <c>Score</c>; checks first that the prompt and response columns are token vectors.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        RewardDataChecks.RequireScoringColumns(inputSchema, Info);
        return Transformer.GetOutputSchema(inputSchema);
    }

    /// <summary>The chain's row-to-row mapper; checks first that the prompt and response columns are token vectors.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        RewardDataChecks.RequireScoringColumns(inputSchema, Info);
        return Transformer.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Adds <c>Score</c> to every row (lazily, as ML.NET transformers do).</summary>
    public IDataView Transform(IDataView input)
    {
        RewardDataChecks.RequireScoringColumns(input.Schema, Info);
        return Transformer.Transform(input);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => Transformer.Save(ctx);

    /// <summary>
    /// Saves to <paramref name="path"/> atomically: an ML.NET model file (<c>mlContext.Model.Save</c>) with this model's
    /// description, vocabulary and (for networks) weights as extra entries, all covered by a SHA-256 manifest.
    /// </summary>
    public void Save(MLContext mlContext, string path)
    {
        var entries = new Dictionary<string, byte[]>(PayloadEntries())
        {
            [InfoEntry] = JsonSerializer.SerializeToUtf8Bytes(Info, ArchiveJson.Options),
            [VocabularyEntry] = JsonSerializer.SerializeToUtf8Bytes(Tokenizer.Vocabulary, ArchiveJson.Options),
        };
        var schema = RewardInput.Rows(mlContext, Info, []).Schema;
        ModelArchive.Write(path, ArchiveKind, FormatVersion, entries, stream => mlContext.Model.Save(Transformer, schema, stream));
    }

    /// <summary>Loads a reward model of any kind saved by <see cref="Save"/> into <paramref name="mlContext"/>.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt, of another version or not a reward model.</exception>
    public static RewardModel Load(MLContext mlContext, string path)
    {
        var entries = ModelArchive.Read(path, ArchiveKind, FormatVersion);
        RewardModelInfo info;
        WordTokenizer tokenizer;
        try
        {
            info = JsonSerializer.Deserialize<RewardModelInfo>(entries[InfoEntry], ArchiveJson.Options)!;
            tokenizer = new WordTokenizer(JsonSerializer.Deserialize<List<string>>(entries[VocabularyEntry], ArchiveJson.Options)!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: the reward model's description is unreadable ({e.Message}). Fix: save the model again.", e);
        }
        mlContext.ComponentCatalog.RegisterAssembly(typeof(RewardModel).Assembly);
        return info.Kind switch
        {
            TransformerRewardModel.KindName => TransformerRewardModel.Load(mlContext, path, entries, info, tokenizer),
            FastTreeRewardModel.KindName => FastTreeRewardModel.Load(mlContext, path, info, tokenizer),
            _ => throw new InvalidDataException($"{path}: unknown reward model kind '{info.Kind}'. Fix: load it with the version of OverOpt.MLNet that saved it."),
        };
    }

    /// <summary>
    /// The same model with <paramref name="info"/> (e.g. validation metrics added after fitting). It shares the scorer
    /// (and a network's weights) with this one: keep and dispose only one of the two.
    /// </summary>
    public abstract RewardModel WithInfo(RewardModelInfo info);

    /// <summary>Scores text: each response is tokenized and scored after its prompt.</summary>
    public float[] ScoreText(IReadOnlyList<string> prompts, IReadOnlyList<string> responses)
        => Score(prompts.Select(Tokenizer.Encode).ToArray(), responses.Select(Tokenizer.Encode).ToArray());

    /// <summary>Frees the scorer's native resources (a transformer model's network; a FastTree model holds none); a model from <see cref="WithInfo"/> shares them, so dispose only one of the two.</summary>
    public virtual void Dispose()
    {
    }

    /// <summary>Entries beside the ML.NET model that this kind needs to load (e.g. network weights).</summary>
    private protected abstract IReadOnlyDictionary<string, byte[]> PayloadEntries();

    /// <summary>
    /// <paramref name="core"/> (which reads the default columns) reading the columns <paramref name="info"/> names
    /// instead: copies of them under the default names go in, and come out again, so the chain still adds only Score.
    /// </summary>
    private protected static ITransformer ReadingColumns(MLContext mlContext, ITransformer core, RewardModelInfo info)
    {
        var renamed = new[] { (RewardColumnDefaults.Prompt, info.PromptColumnName), (RewardColumnDefaults.Response, info.ResponseColumnName) }
            .Where(c => c.Item1 != c.Item2).ToArray();
        if (renamed.Length == 0)
        {
            return core;
        }
        var input = RewardInput.Rows(mlContext, info, []);
        var chain = new List<ITransformer>();
        var data = input;
        foreach (var (copyName, source) in renamed)
        {
            var copy = mlContext.Transforms.CopyColumns(copyName, source).Fit(data);
            chain.Add(copy);
            data = copy.Transform(data);
        }
        chain.Add(core);
        chain.Add(mlContext.Transforms.DropColumns([.. renamed.Select(c => c.Item1)]).Fit(core.Transform(data)));
        return new TransformerChain<ITransformer>([.. chain]);
    }

    /// <summary>
    /// An ML.NET chain that scores row by row through <paramref name="score"/> (a model's batch scorer, called with one
    /// row), so that the ML.NET path and the batch path agree exactly: for models built from other scorers (gold plus
    /// noise, ensembles), which ML.NET cannot save and which are rebuilt rather than loaded.
    /// </summary>
    private protected static ITransformer BatchScorerMapping(MLContext mlContext, Func<int[], int[], float> score)
        => mlContext.Transforms.CustomMapping<RewardInput, RewardScore>((input, output) => output.Score = score(input.PromptTokens, input.ResponseTokens), contractName: null)
            .Fit(mlContext.Data.LoadFromEnumerable(Array.Empty<RewardInput>()));

    /// <summary>(raw - offset) * scale, in float as ML.NET's affine normalizer computes it.</summary>
    private protected float[] Normalize(float[] raw)
    {
        float offset = (float)Info.Offset, scale = (float)Info.Scale;
        return raw.Select(r => (r - offset) * scale).ToArray();
    }
}
