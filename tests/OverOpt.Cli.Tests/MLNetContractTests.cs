using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Ppo;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Trainers;

namespace OverOpt.Cli.Tests;

/// <summary>The ML.NET contracts: estimators that chain and score their own training rows, Model.Save/Load, Evaluate, curve transformers.</summary>
public sealed class MLNetContractTests : IClassFixture<RewardModelFixture>, IDisposable
{
    private readonly RewardModelFixture _data;
    private readonly string _folder = Directory.CreateTempSubdirectory("overopt-contract-").FullName;

    public MLNetContractTests(RewardModelFixture data)
    {
        _data = data;
    }

    private TransformerRewardTrainer SmallTransformer(MLContext ml, int? seed = 1, string label = RewardColumnDefaults.Label, string group = RewardColumnDefaults.GroupId)
        => ml.RewardModels().Trainers.Transformer(new TransformerRewardTrainer.Options
        {
            Name = "small",
            Tokenizer = _data.Policy.Tokenizer,
            Shape = new GptShape { Layers = 1, ModelDim = 8, Heads = 2, Context = 24 },
            Epochs = 1,
            LearningRate = 3e-3,
            Seed = seed,
            LabelColumnName = label,
            RowGroupColumnName = group,
        });

    [Fact]
    public void AProxyTrainerChainsBetweenEstimatorsAndScoresItsOwnTrainingRows()
    {
        var ml = _data.Ml;
        // As the README's library section writes it: a split that keeps both rows of a comparison on one side.
        var split = ml.Data.TrainTestSplit(_data.Train, testFraction: 0.1, samplingKeyColumnName: RewardColumnDefaults.GroupId);
        var chain = new EstimatorChain<ITransformer>()
            .Append(ml.Transforms.CopyColumns("Preferred", RewardColumnDefaults.Label))
            .Append(ml.Transforms.CopyColumns("Comparison", RewardColumnDefaults.GroupId))
            .Append(SmallTransformer(ml, label: "Preferred", group: "Comparison"))
            .Append(ml.Transforms.NormalizeMinMax("ScoreUnit", RewardColumnDefaults.Score));
        var expected = _data.Train.Schema.Select(c => c.Name).Concat(["Preferred", "Comparison", RewardColumnDefaults.Score, "ScoreUnit"]).ToArray();

        var declared = chain.GetOutputSchema(SchemaShapes.Of(_data.Train.Schema));
        var model = chain.Fit(split.TrainSet);
        var scored = model.Transform(split.TrainSet);
        var training = ml.RewardModels().Evaluate(scored, "Preferred", "Comparison");
        var heldOut = ml.RewardModels().Evaluate(model.Transform(split.TestSet), "Preferred", "Comparison");

        Assert.Equal(expected, declared.Select(c => c.Name).ToArray());
        Assert.Equal(expected, scored.Schema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray());
        Assert.Equal(expected, model.GetOutputSchema(_data.Train.Schema).Where(c => !c.IsHidden).Select(c => c.Name).ToArray());
        Assert.Equal(4500, training.Comparisons + heldOut.Comparisons);
        Assert.InRange(heldOut.Comparisons, 200, 700);
        Assert.True(training.PairwiseAccuracy > 0.6 && heldOut.PairwiseAccuracy > 0.6, $"accuracy {training.PairwiseAccuracy}, held out {heldOut.PairwiseAccuracy}");
        Assert.True(heldOut.BradleyTerryLoss < Math.Log(2) && heldOut.BradleyTerryLoss <= heldOut.UnscaledBradleyTerryLoss + 1e-12, $"{heldOut}");
    }

    [Fact]
    public void FastTreeFitsAndScoresItsOwnTrainingRowsWithRenamedTokenColumns()
    {
        var ml = _data.Ml;
        var chain = ml.Transforms.CopyColumns("Prompt", RewardColumnDefaults.Prompt)
            .Append(ml.Transforms.CopyColumns("Response", RewardColumnDefaults.Response))
            .Append(ml.Transforms.DropColumns(RewardColumnDefaults.Prompt, RewardColumnDefaults.Response))
            .Append(ml.RewardModels().Trainers.FastTree(new FastTreeRewardTrainer.Options
            {
                Tokenizer = _data.Policy.Tokenizer, NumberOfTrees = 20, NumberOfLeaves = 8, PromptColumnName = "Prompt", ResponseColumnName = "Response",
            }));

        var model = chain.Fit(_data.Train);
        var scored = model.Transform(_data.Train);
        string path = Path.Combine(_folder, "fasttree-chain.zip");
        ml.Model.Save(model, _data.Train.Schema, path);
        var loaded = new MLContext(5).Model.Load(path, out _);

        Assert.Equal(model.GetOutputSchema(_data.Train.Schema).Select(c => c.Name), scored.Schema.Select(c => c.Name));
        Assert.Equal(_data.Train.Schema.Select(c => c.Name).Concat(["Prompt", "Response", RewardColumnDefaults.Score]).Except([RewardColumnDefaults.Prompt, RewardColumnDefaults.Response]),
            scored.Schema.Where(c => !c.IsHidden).Select(c => c.Name));
        Assert.True(ml.RewardModels().Evaluate(scored).PairwiseAccuracy > 0.6);
        Assert.Equal(scored.GetColumn<float>(RewardColumnDefaults.Score).ToArray(), loaded.Transform(_data.Train).GetColumn<float>(RewardColumnDefaults.Score).ToArray());
    }

    [Fact]
    public void AChainWithATransformerProxySavedByModelSaveScoresBitIdenticallyInAFreshProcess()
    {
        var ml = _data.Ml;
        var model = ml.Transforms.CopyColumns("ResponseCopy", RewardColumnDefaults.Response).Append(SmallTransformer(ml)).Fit(_data.Train);
        string path = Path.Combine(_folder, "chain.zip");
        ml.Model.Save(model, _data.Train.Schema, path);
        var rows = _data.Rows.Take(3).Select(r => new RewardInput { PromptTokens = r.PromptTokens, ResponseTokens = r.RejectedTokens }).ToArray();
        var engine = ml.Model.CreatePredictionEngine<RewardInput, RewardScore>(model);
        var freshContext = new MLContext().Model.Load(path, out var schema);
        var freshEngine = new MLContext().Model.CreatePredictionEngine<RewardInput, RewardScore>(freshContext);

        Assert.NotNull(schema.GetColumnOrNull(RewardColumnDefaults.Label));
        foreach (var row in rows)
        {
            float expected = engine.Predict(row).Score;
            Assert.Equal(expected, freshEngine.Predict(row).Score);
            var (code, output) = ExternalProcess.Run("dotnet", [
                typeof(Cli.Program).Assembly.Location, "score", "--mlnet", "--model", path,
                "--prompt-tokens", string.Join(' ', row.PromptTokens), "--response-tokens", string.Join(' ', row.ResponseTokens)], TimeSpan.FromMinutes(2));
            Assert.True(code == 0, output);
            Assert.Equal(expected.ToString("R", CultureInfo.InvariantCulture), output.Trim().Split('\n')[^1].Trim());
        }
    }

    [Fact]
    public void TheMLContextsSeedFixesATrainersSeedWhenTheOptionsLeaveItOpen()
    {
        var subset = _data.Ml.Data.TakeRows(_data.Train, 600);
        var prompts = _data.Rows.Take(20).Select(r => r.PromptTokens).ToArray();
        var responses = _data.Rows.Take(20).Select(r => r.ChosenTokens).ToArray();
        float[] Scores(int contextSeed)
        {
            var ml = new MLContext(contextSeed);
            using var model = SmallTransformer(ml, seed: null).Fit(subset);
            return model.RawScore(prompts, responses);
        }

        Assert.Equal(Scores(7), Scores(7));
        Assert.NotEqual(Scores(7), Scores(8));
    }

    [Fact]
    public void EvaluateGivesHandComputedAccuracyAndTheLossAtTheBestTemperature()
    {
        var rows = new (uint Group, bool Chosen, float Score)[] { (0, true, 2f), (0, false, 0f), (1, false, 1f), (1, true, 0f), (2, true, 0.5f), (2, false, 0f) };
        var data = _data.Ml.Data.LoadFromEnumerable(rows.Select(r => new { GroupId = r.Group, Label = r.Chosen, Score = r.Score }));
        double[] margins = [2, -1, 0.5];
        static double Loss(double[] m, double t) => m.Average(x => Math.Log(1 + Math.Exp(-t * x)));

        var metrics = _data.Ml.RewardModels().Evaluate(data);

        Assert.Equal(3, metrics.Comparisons);
        Assert.Equal(2.0 / 3, metrics.PairwiseAccuracy, 12);
        Assert.Equal(Loss(margins, 1), metrics.UnscaledBradleyTerryLoss, 12);
        Assert.Equal(Loss(margins, metrics.Temperature), metrics.BradleyTerryLoss, 12);
        Assert.True(metrics.BradleyTerryLoss <= Loss(margins, metrics.Temperature * 1.01) && metrics.BradleyTerryLoss <= Loss(margins, metrics.Temperature * 0.99));
        var nan = _data.Ml.Data.LoadFromEnumerable(rows.Select((r, i) => new { GroupId = r.Group, Label = r.Chosen, Score = i == 3 ? float.NaN : r.Score }));
        var lonely = _data.Ml.Data.LoadFromEnumerable(rows.Take(3).Select(r => new { GroupId = r.Group, Label = r.Chosen, Score = r.Score }));
        var nanError = Assert.Throws<OverOptConfigurationException>(() => _data.Ml.RewardModels().Evaluate(nan));
        var lonelyError = Assert.Throws<OverOptConfigurationException>(() => _data.Ml.RewardModels().Evaluate(lonely));
        Assert.Equal((RewardColumnDefaults.Score, true), (nanError.Field, nanError.Message.Contains("row 3")));
        Assert.Equal((RewardColumnDefaults.GroupId, true), (lonelyError.Field, lonelyError.Message.Contains("group 1")));
    }

    [Fact]
    public void SavingACurveTransformerIsRefusedWithTheWayThatWorks()
    {
        var ml = _data.Ml;
        var samples = ml.Data.LoadFromEnumerable(new[] { new ScoredSample { PromptIndex = 0, ProxyScore = 1, GoldScore = 1 } });
        using var stream = new MemoryStream();

        var bon = Assert.ThrowsAny<Exception>(() => ml.Model.Save(ml.Overoptimization().BestOfNCurve(new BestOfNOptions()), samples.Schema, stream));
        var rl = Assert.ThrowsAny<Exception>(() => ml.Model.Save(ml.Overoptimization().RlCurve(), samples.Schema, stream));

        Assert.Contains("mlContext.Overoptimization().BestOfNCurve(options)", bon.ToString());
        Assert.Contains("mlContext.Overoptimization().RlCurve(options)", rl.ToString());
    }

    [Fact]
    public void TheRlCurveTransformerTurnsEvaluationSamplesIntoACentredCurveWhenRead()
    {
        var ml = _data.Ml;
        var random = new Random(3);
        var samples = new[] { 0, 5, 20 }.SelectMany(step => Enumerable.Range(0, 50).Select(_ => new RlEvaluationSample
        {
            Step = step, Kl = step * (float)(0.5 + random.NextDouble()) / 10, ProxyScore = step / 10f + (float)random.NextDouble(), GoldScore = (float)random.NextDouble(),
        })).Reverse().ToArray();
        var transformer = ml.Overoptimization().RlCurve(new RlCurveOptions { Key = new CurveKey { Proxy = "p", Seed = 4 } });

        var view = transformer.Transform(ml.Data.LoadFromEnumerable(samples));
        var curve = ml.Data.CreateEnumerable<CurvePoint>(view, reuseRowObject: false).ToList();
        var broken = samples.Select(s => new RlEvaluationSample { Step = s.Step, Kl = s.Kl, ProxyScore = s.ProxyScore, GoldScore = s.GoldScore }).ToArray();
        broken[7].GoldScore = float.NaN;
        var lazyError = transformer.Transform(ml.Data.LoadFromEnumerable(broken));
        var noStepZero = transformer.Transform(ml.Data.LoadFromEnumerable(samples.Where(s => s.Step > 0)));

        Assert.Equal(transformer.GetOutputSchema(ml.Data.LoadFromEnumerable(samples).Schema).Select(c => c.Name), view.Schema.Select(c => c.Name));
        Assert.Equal([0.0, 5, 20], curve.Select(p => p.Step));
        Assert.All(curve, p => Assert.Equal(Math.Sqrt(samples.Where(s => s.Step == p.Step).Average(s => (double)s.Kl)), p.D, 5));
        Assert.Equal(0, curve[0].GoldScore, 12);
        Assert.Equal(0, curve[0].ProxyScore, 12);
        Assert.True(curve[2].ProxyScore > 1.5 && curve[2].ProxyCiLow < curve[2].ProxyScore && curve[2].ProxyScore < curve[2].ProxyCiHigh);
        Assert.All(curve, p => Assert.Equal(("ppo", "p", 4), (p.Method, p.Proxy, p.Seed)));
        Assert.Equal(nameof(RlEvaluationSample.GoldScore), Assert.Throws<OverOptConfigurationException>(() => lazyError.Preview()).Field);
        Assert.Equal(nameof(RlEvaluationSample.Step), Assert.Throws<OverOptConfigurationException>(() => noStepZero.Preview()).Field);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
