using Microsoft.ML;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;

namespace OverOpt.Cli.Tests;

/// <summary>Words outside a tokenizer's vocabulary are named, by the tokenizer and by <c>overopt score</c>.</summary>
[Trait(Speed.Category, Speed.Fast)]
[Collection(nameof(CliTests))]
public sealed class ScoreVocabularyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("overopt-score-").FullName;

    [Fact]
    public void TheTokenizerNamesExactlyThePiecesItEncodesAsUnknown()
    {
        var tokenizer = WordTokenizer.Train(["tom was happy , he ran .", "mia sang !"]);

        var unknown = tokenizer.OutOfVocabulary("<bos> Tom was Zorblax, happy! he ran zorblax qwerty <unk>");

        Assert.Equal(["zorblax", "qwerty"], unknown);
        // Encode maps both zorblax, qwerty and the literal <unk> (a vocabulary entry, typed on purpose) to the unknown id.
        Assert.Equal(4, tokenizer.Encode("<bos> Tom was Zorblax, happy! he ran zorblax qwerty <unk>").Count(id => id == WordTokenizer.UnknownId));
        Assert.Empty(tokenizer.OutOfVocabulary("tom sang ."));
    }

    [Fact]
    public void ScoreWarnsAboutWordsOutsideTheVocabularyAndStillScores()
    {
        // An untrained transformer reward model: enough to score, with no training run.
        var ml = new MLContext(1);
        var tokenizer = WordTokenizer.Train(TestModels.Corpus.TrainStories);
        using var network = new RewardNetwork(new GptShape { Layers = 1, ModelDim = 16, Heads = 2, Context = 32, VocabularySize = tokenizer.VocabularySize }, seed: 1);
        int[][] prompts = [tokenizer.Encode("<bos> once there was"), tokenizer.Encode("<bos> one day tom")];
        int[][] responses = [tokenizer.Encode("tom was happy ."), tokenizer.Encode("he ran home .")];
        using var model = TransformerRewardModel.Create(ml, network, tokenizer, new RewardModelInfo { Name = "untrained" }, prompts, responses);
        string path = Path.Combine(_folder, "untrained.zip");
        ml.RewardModels().Save(model, path);

        var known = CliRunner.Run("score", "--model", path, "--prompt", "<bos> once there was", "--response", "tom was happy .");
        var unknown = CliRunner.Run("score", "--model", path, "--prompt", "<bos> once there was", "--response", "tom was zorblax happy . qwerty zorblax");

        Assert.Equal(0, known.Code);
        Assert.Equal("", known.Error);
        Assert.Equal(0, unknown.Code);
        Assert.Matches(@"^untrained \(transformer, [\d,]+ parameters\): -?\d+\.\d{3}", unknown.Output);
        Assert.Contains($"overopt: warning: 2 word(s) outside the model's vocabulary of {tokenizer.VocabularySize} were scored as <unk>: 'zorblax', 'qwerty'.", unknown.Error);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
