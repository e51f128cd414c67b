using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Trainers;

namespace OverOpt.Cli.Tests;

/// <summary>
/// FastTree reward models exported to ONNX score as the ML.NET model does, through ML.NET's own OnnxTransformer;
/// transformer reward models are refused. A tiny synthetic world (random responses, a counting preference rule)
/// keeps it fast: no policy is pretrained.
/// </summary>
[Collection(nameof(CliTests))]
public sealed class OnnxExportTests : IDisposable
{
    private const int ResponseLength = 12;
    private const int PromptLength = 4;
    private readonly string _folder = Directory.CreateTempSubdirectory("overopt-onnx-").FullName;
    private readonly MLContext _ml = new(seed: 1);
    private readonly WordTokenizer _tokenizer = new([.. WordTokenizer.SpecialTokens, .. Enumerable.Range(3, 27).Select(i => $"w{i}")]);

    /// <summary>Responses of words w3..w24 only (w25..w29 and the special tokens never occur in training).</summary>
    private static int[] RandomResponse(Random random) => Enumerable.Range(0, ResponseLength).Select(_ => random.Next(3, 25)).ToArray();

    /// <summary>The rule behind the labels: low ids are good, and the bigram (5, 6) is very good.</summary>
    private static double Rule(int[] response) => response.Count(t => t < 10) - response.Count(t => t > 18) + 3 * response.Zip(response.Skip(1)).Count(p => p is (5, 6));

    private FastTreeRewardModel TrainFastTree()
    {
        var random = new Random(7);
        var rows = Enumerable.Range(0, 600).Select(_ =>
        {
            int[] prompt = Enumerable.Range(0, PromptLength).Select(_ => random.Next(3, 25)).ToArray(), a = RandomResponse(random), b = RandomResponse(random);
            var (chosen, rejected) = Rule(a) >= Rule(b) ? (a, b) : (b, a);
            return new ComparisonRow { PromptTokens = prompt, ChosenTokens = chosen, RejectedTokens = rejected };
        }).ToList();
        var model = _ml.RewardModels().Trainers.FastTree(new FastTreeRewardTrainer.Options
        {
            Name = "ft-onnx",
            Tokenizer = _tokenizer,
            NumberOfTrees = 20,
            NumberOfLeaves = 8,
        }).Fit(_ml.RewardModels().ToPreferenceRows(_ml.Data.LoadFromEnumerable(rows)));
        return Assert.IsType<FastTreeRewardModel>(model);
    }

    /// <summary>Rows to score: new random responses, responses with words the model never saw (pads, &lt;unk&gt;, w25..w29), and repeats of the good bigram.</summary>
    private static RewardInput[] ScoringRows()
    {
        var random = new Random(11);
        var rows = new List<int[]>();
        rows.AddRange(Enumerable.Range(0, 200).Select(_ => RandomResponse(random)));
        rows.AddRange(Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, ResponseLength).Select(_ => random.Next(0, 30)).ToArray()));
        rows.Add(Enumerable.Repeat(0, ResponseLength).ToArray());
        rows.Add(Enumerable.Range(0, ResponseLength).Select(i => i % 2 == 0 ? 5 : 6).ToArray());
        return rows.Select(r => new RewardInput { PromptTokens = [2, 3, 4, 5], ResponseTokens = r }).ToArray();
    }

    /// <summary>The rows as ML.NET's OnnxTransformer needs them: the response a vector of known size, as the graph's input is.</summary>
    private IDataView FixedSize(IEnumerable<RewardInput> rows)
    {
        var schema = SchemaDefinition.Create(typeof(RewardInput));
        schema[RewardInput.ResponseColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Int32, ResponseLength);
        schema[RewardInput.PromptColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Int32, PromptLength);
        return _ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>
    /// Scores through OnnxTransformer. The graph's output is Score.output; OnnxTransformer itself names the column
    /// Score (it drops the ".output" ML.NET's converter adds), so no mapping is needed.
    /// </summary>
    private float[] OnnxScores(string onnxPath, RewardInput[] rows)
    {
        var pipeline = _ml.Transforms.ApplyOnnxModel(RewardModelOnnx.OutputName, RewardModelOnnx.InputName, onnxPath);
        var data = FixedSize(rows);
        var transformer = pipeline.Fit(data);
        try
        {
            var scored = transformer.Transform(data);
            var type = scored.Schema[RewardScore.ScoreColumn].Type;
            return type is VectorDataViewType vector
                ? scored.GetColumn<float[]>(RewardScore.ScoreColumn).Select(v => Assert.Single(v)).ToArray()
                : scored.GetColumn<float>(RewardScore.ScoreColumn).ToArray();
        }
        finally
        {
            (transformer as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public void AFastTreeProxyExportedToOnnxScoresWithin1e5OfTheMLNetModel()
    {
        using var model = TrainFastTree();
        string onnx = Path.Combine(_folder, "fasttree.onnx");
        using (var file = File.Create(onnx))
        {
            _ml.RewardModels().ExportToOnnx(model, file, ResponseLength);
        }
        var rows = ScoringRows();

        float[] expected = model.Transform(_ml.Data.LoadFromEnumerable(rows)).GetColumn<float>(RewardScore.ScoreColumn).ToArray();
        float[] actual = OnnxScores(onnx, rows);

        Assert.Equal(expected.Length, actual.Length);
        double maxDifference = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        Console.WriteLine($"ONNX vs ML.NET: max |difference| {maxDifference:G3} over {rows.Length} rows; scores span {expected.Min():F3}..{expected.Max():F3}");
        Assert.True(maxDifference <= 1e-5, $"max |difference| {maxDifference:G3}");
        // The scores are not all alike (the model is not trivially constant), and the unseen words did not break either path.
        Assert.True(expected.Distinct().Count() > 20, $"{expected.Distinct().Count()} distinct scores");
        Assert.Equal(model.Score(rows.Select(r => r.PromptTokens).ToArray(), rows.Select(r => r.ResponseTokens).ToArray()), expected);
    }

    [Fact]
    public void ASavedProxyExportsThroughTheCliWithTheResponseLengthItsProvenanceRecords()
    {
        using var trained = TrainFastTree();
        using var model = trained.WithInfo(trained.Info with { Provenance = $$"""{ "artifact": "proxy", "sampling": { "promptLength": {{PromptLength}}, "responseLength": {{ResponseLength}}, "temperature": 1 } }""" });
        string zip = Path.Combine(_folder, "proxy.zip"), onnx = Path.Combine(_folder, "out", "proxy.onnx");
        _ml.RewardModels().Save(model, zip);

        var (code, output, error) = CliRunner.Run("export", "onnx", "--model", zip, "--output", onnx);

        Assert.True(code == 0, error);
        Assert.Contains($"int32 [batch, {ResponseLength}]", output);
        var rows = ScoringRows();
        float[] expected = model.Score(rows.Select(r => r.PromptTokens).ToArray(), rows.Select(r => r.ResponseTokens).ToArray());
        float[] actual = OnnxScores(onnx, rows);
        double maxDifference = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        Assert.True(maxDifference <= 1e-5, $"max |difference| {maxDifference:G3}");
        // The model loaded from its .zip gives the very graph the fitted one does: ML.NET's model files drop
        // ProduceNgrams' useAllLengths, which the export restores (without it the graph would count only bigrams).
        using var fromMemory = new MemoryStream();
        _ml.RewardModels().ExportToOnnx(model, fromMemory);
        Assert.Equal(fromMemory.ToArray(), File.ReadAllBytes(onnx));
    }

    [Fact]
    public void WithoutARecordedResponseLengthTheExportAsksForOne()
    {
        using var model = TrainFastTree();

        using var stream = new MemoryStream();

        var error = Assert.Throws<OverOptConfigurationException>(() => _ml.RewardModels().ExportToOnnx(model, stream));

        Assert.Equal("responseLength", error.Field);
        Assert.Contains("--response-length", error.Message);
        Assert.Throws<OverOptConfigurationException>(() => _ml.RewardModels().ExportToOnnx(model, stream, 0));
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void ATransformerRewardModelIsRefusedWithTheReason()
    {
        var shape = new GptShape { Layers = 1, ModelDim = 8, Heads = 2, Context = PromptLength + ResponseLength, VocabularySize = _tokenizer.VocabularySize };
        var random = new Random(3);
        var prompts = Enumerable.Range(0, 8).Select(_ => new[] { 2, 3, 4, 5 }).ToArray();
        var responses = Enumerable.Range(0, 8).Select(_ => RandomResponse(random)).ToArray();
        using var model = TransformerRewardModel.Create(_ml, new RewardNetwork(shape, seed: 1), _tokenizer, new RewardModelInfo { Name = "tf" }, prompts, responses);
        using var stream = new MemoryStream();

        var error = Assert.Throws<NotSupportedException>(() => _ml.RewardModels().ExportToOnnx(model, stream, ResponseLength));

        Assert.Contains("transformer reward model", error.Message);
        Assert.Contains("TorchSharp inside an ML.NET CustomMapping", error.Message);
        Assert.Contains("no ONNX converter", error.Message);
        Assert.Contains("FastTree", error.Message);
        Assert.Equal(0, stream.Length);

        string zip = Path.Combine(_folder, "tf.zip"), onnx = Path.Combine(_folder, "tf.onnx");
        _ml.RewardModels().Save(model, zip);
        var (code, _, cliError) = CliRunner.Run("export", "onnx", "--model", zip, "--output", onnx, "--response-length", $"{ResponseLength}");
        Assert.Equal(2, code);
        Assert.Contains("overopt: error:", cliError);
        Assert.Contains("CustomMapping", cliError);
        Assert.DoesNotContain("   at ", cliError);
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public void AMissingModelFileIsAClearError()
    {
        string missing = Path.Combine(_folder, "nope.zip");

        var (code, _, error) = CliRunner.Run("export", "onnx", "--model", missing, "--output", Path.Combine(_folder, "nope.onnx"));

        Assert.Equal(2, code);
        Assert.Contains($"field '--model': {missing} does not exist.", error);
        Assert.DoesNotContain("   at ", error);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
