using OverOpt.Experiments.Settings;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Experiments.Tests;

[Trait(Speed.Category, Speed.Fast)]
public sealed class PipelineFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("overopt-pipelines-").FullName;

    private OverOptConfigurationException LoadFails(string json)
    {
        string path = Path.Combine(_folder, "bad.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<OverOptConfigurationException>(() => PipelineLoader.Load(path));
        Assert.Equal(path, error.File);
        Assert.StartsWith(path, error.Message);
        Assert.Contains("Fix:", error.Message);
        return error;
    }

    [Fact]
    public void AnEmptyObjectTakesTheEmbeddedDefaults()
    {
        var definition = PipelineLoader.Parse("{}", "inline.json");

        Assert.Equal("quick", definition.Name);
        Assert.Single(definition.Policies);
    }

    [Fact]
    public void TheBundledQuickPipelineLoads()
    {
        var definition = PipelineLoader.Load(Repository.File("pipelines/quick.json"));

        // The README's first command runs the default pipeline: the file spells out exactly the embedded defaults.
        var json = System.Text.Json.JsonSerializer.Serialize(definition, OverOpt.MLNet.Artifacts.ArchiveJson.Options);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(PipelineLoader.Parse("{}", "inline.json"), OverOpt.MLNet.Artifacts.ArchiveJson.Options), json);
    }

    [Fact]
    public void GoldsOwnSeedSeedsItsTrainingAndLeftOutGoldTrainsAtThePipelinesSeed()
    {
        var plain = PipelineLoader.Parse("{ \"seed\": 4 }", "inline.json");
        var seeded = PipelineLoader.Parse("{ \"seed\": 4, \"gold\": { \"seed\": 9 } }", "inline.json");

        // Only gold's training takes it: pi_init, its language model and everything else stay the pipeline's seed 4.
        Assert.Equal(4, plain.Gold!.Options(plain.Sampling, plain.Seed).Seed);
        Assert.Equal(9, seeded.Gold!.Options(seeded.Sampling, seeded.Seed).Seed);
        Assert.Equal(4, seeded.Seed);
    }

    [Fact]
    public void MalformedJsonNamesTheLine()
    {
        var error = LoadFails("{\n  \"name\": \"x\",\n  \"seed\" 3\n}");

        Assert.Equal("(document)", error.Field);
        Assert.Contains("line 3", error.Message);
    }

    [Theory]
    [InlineData("{\n  \"seed\": 5,\n  \"seed\": 7\n}", "seed", "line 3")]
    [InlineData("{ \"proxies\": [ { \"name\": \"a\" }, { \"name\": \"b\", \"leaves\": 4, \"leaves\": 8 } ] }", "proxies[1].leaves", "line 1")]
    public void AFieldGivenTwiceIsRefusedInsteadOfTheLastOneWinning(string json, string field, string line)
    {
        var error = LoadFails(json);

        Assert.Equal(field, error.Field);
        Assert.Contains($"is given twice in the same object (again at {line})", error.Message);
    }

    [Fact]
    public void AnUnknownFieldIsNamedWithItsPathAndTheKnownFields()
    {
        var error = LoadFails("{ \"policies\": [ { \"name\": \"a\", \"layerz\": 2 } ] }");

        Assert.Equal("policies[0].layerz", error.Field);
        Assert.Contains("did you mean 'layers'", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("{ \"optimizedPolicies\": [ \"huge\" ] }", "optimizedPolicies[0]")]
    [InlineData("{ \"ppo\": { \"seeds\": [ 1, 1 ] } }", "ppo.seeds")]
    [InlineData("{ \"ppo\": { \"klCoefficients\": [ 0, -0.1 ] } }", "ppo.klCoefficients[1]")]
    [InlineData("{ \"ppo\": { \"penaltyEstimator\": \"k2\" } }", "ppo.penaltyEstimator")]
    [InlineData("{ \"threadsPerJob\": -1 }", "threadsPerJob")]
    [InlineData("{ \"comparisons\": { \"validationCount\": 5 } }", "comparisons.validationCount")]
    public void ImpossibleStudySettingsAreRefusedByField(string json, string field)
    {
        var error = LoadFails(json);

        Assert.Equal(field, error.Field);
    }

    // A proxy's trainer settings are checked when the file loads (not after pretraining and gold), under the names the
    // file uses: leaves, not the trainer option's numberOfLeaves.
    [Theory]
    [InlineData("{ \"kind\": \"fasttree\", \"leaves\": 1 }", "proxies[1].leaves")]
    [InlineData("{ \"kind\": \"fasttree\", \"trees\": 0 }", "proxies[1].trees")]
    [InlineData("{ \"kind\": \"fasttree\", \"ngramLength\": 0 }", "proxies[1].ngramLength")]
    [InlineData("{ \"epochs\": 0 }", "proxies[1].epochs")]
    [InlineData("{ \"batchSize\": -2 }", "proxies[1].batchSize")]
    [InlineData("{ \"learningRate\": -0.001 }", "proxies[1].learningRate")]
    [InlineData("{ \"modelDim\": 30, \"heads\": 4 }", "proxies[1].heads")]
    [InlineData("{ \"kind\": \"forest\" }", "proxies[1].kind")]
    [InlineData("{ \"readout\": \"lastToken\" }", "proxies[1].readout")]
    [InlineData("{ \"readout\": \"1\" }", "proxies[1].readout")]
    [InlineData("{ \"kind\": \"fasttree\", \"readout\": \"meanPool\" }", "proxies[1].readout")]
    [InlineData("{ \"pretrained\": false, \"readout\": \"meanPoolAndLikelihood\" }", "proxies[1].readout")]
    [InlineData("{ \"pretrained\": false, \"readout\": \"meanPoolLikelihoodAndSurprise\" }", "proxies[1].readout")]
    [InlineData("{ \"kind\": \"noisyGold\", \"noise\": -1 }", "proxies[1].noise")]
    [InlineData("{ \"kind\": \"noisyGold\", \"noiseDistribution\": \"cauchy\" }", "proxies[1].noiseDistribution")]
    [InlineData("{ \"kind\": \"noisyGold\", \"noiseDistribution\": \"studentT\", \"degreesOfFreedom\": 0 }", "proxies[1].degreesOfFreedom")]
    [InlineData("{ \"kind\": \"noisyGold\", \"readout\": \"meanPool\" }", "proxies[1].readout")]
    [InlineData("{ \"noise\": 0.5 }", "proxies[1].noise")]
    [InlineData("{ \"kind\": \"ensemble\" }", "proxies[1].of")]
    [InlineData("{ \"kind\": \"ensemble\", \"of\": \"nope\" }", "proxies[1].of")]
    [InlineData("{ \"kind\": \"ensemble\", \"of\": \"first\", \"members\": 1 }", "proxies[1].members")]
    [InlineData("{ \"kind\": \"ensemble\", \"of\": \"first\", \"objective\": \"best\" }", "proxies[1].objective")]
    [InlineData("{ \"kind\": \"ensemble\", \"of\": \"first\", \"uncertaintyPenalty\": -1 }", "proxies[1].uncertaintyPenalty")]
    [InlineData("{ \"of\": \"first\" }", "proxies[1].of")]
    public void AProxysBadTrainerSettingIsRefusedAtLoadUnderItsOwnName(string proxy, string field)
    {
        string second = proxy.Replace("{ ", "{ \"name\": \"second\", ", StringComparison.Ordinal);
        var error = LoadFails($"{{ \"proxies\": [ {{ \"name\": \"first\" }}, {second} ] }}");

        Assert.Equal(field, error.Field);
        Assert.DoesNotContain("numberOf", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"world\": { \"version\": \"storyworld-0\" } }", "world.version")]
    [InlineData("{ \"world\": { \"seed\": 3 } }", "world.seed")]
    [InlineData("{ \"world\": { \"version\": \"tinytales\", \"stories\": 5000 } }", "world.stories")]
    [InlineData("{ \"world\": { \"version\": \"storyworld-1\", \"stories\": 10 } }", "world.stories")]
    [InlineData("{ \"corpus\": \"stories.txt\", \"world\": { \"version\": \"storyworld-1\" } }", "world.version")]
    [InlineData("{ \"world\": { \"version\": \"storyworld-1\", \"wordTaste\": -1 } }", "world.wordTaste")]
    [InlineData("{ \"world\": { \"version\": \"tinytales\", \"wordTaste\": 1 } }", "world.wordTaste")]
    [InlineData("{ \"world\": { \"version\": \"storyworld-1\", \"sombreShare\": 1.5 } }", "world.sombreShare")]
    [InlineData("{ \"world\": { \"version\": \"tinytales\", \"sombreShare\": 0.375 } }", "world.sombreShare")]
    [InlineData("{ \"gold\": { \"readout\": \"lastToken\" } }", "gold.readout")]
    [InlineData("{ \"gold\": { \"termLossWeight\": -1 } }", "gold.termLossWeight")]
    [InlineData("{ \"gold\": { \"termLossTerms\": [\"effect\"] } }", "gold.termLossTerms")]
    [InlineData("{ \"gold\": { \"exchangeFraction\": 1.5 } }", "gold.exchangeFraction")]
    [InlineData("{ \"gold\": { \"exchangeFraction\": 0.5, \"exchangeGroups\": [] } }", "gold.exchangeGroups")]
    [InlineData("{ \"gold\": { \"exchangeFraction\": 0.5, \"balancedExchanges\": true } }", "gold.balancedExchanges")]
    [InlineData("{ \"gold\": { \"balancedError\": true, \"balancedExchanges\": true } }", "gold.balancedExchanges")]
    [InlineData("{ \"gold\": { \"rareTermShare\": 1.5 } }", "gold.rareTermShare")]
    [InlineData("{ \"gold\": { \"exchangeGroups\": [\"pronouns\"] } }", "gold.exchangeGroups")]
    [InlineData("{ \"world\": { \"version\": \"storyworld-2\" }, \"gold\": { \"exchangeFraction\": 0.5, \"exchangeGroups\": [\"colours\"] } }", "gold.exchangeGroups")]
    [InlineData("{ \"gold\": { \"exchangeFraction\": 0.5, \"exchangeGroups\": [\"pronouns\"] } }", "gold.exchangeGroups")]
    [InlineData("{ \"gold\": { \"pairLossWeight\": -1 } }", "gold.pairLossWeight")]
    [InlineData("{ \"gold\": { \"kind\": \"exact\" } }", "gold.kind")]
    [InlineData("{ \"directAlignment\": { \"losses\": [\"dpo\", \"kto\"] } }", "directAlignment.losses[1]")]
    [InlineData("{ \"directAlignment\": { \"betas\": [0.1, 0] } }", "directAlignment.betas[1]")]
    [InlineData("{ \"directAlignment\": { \"epochs\": 0 } }", "directAlignment.epochs")]
    [InlineData("{ \"directAlignment\": { \"seeds\": [] } }", "directAlignment.seeds")]
    [InlineData("{ \"iteratedRlhf\": { } }", "iteratedRlhf.proxy")]
    [InlineData("{ \"iteratedRlhf\": { \"proxy\": \"nope\" } }", "iteratedRlhf.proxy")]
    [InlineData("{ \"iteratedRlhf\": { \"proxy\": \"tf-1x8\", \"rounds\": [2, 4] } }", "iteratedRlhf.rounds")]
    [InlineData("{ \"iteratedRlhf\": { \"proxy\": \"tf-1x8\", \"totalKl\": 0 } }", "iteratedRlhf.totalKl")]
    [InlineData("{ \"gold\": { \"pretrained\": false, \"readout\": \"meanPoolAndLikelihood\" } }", "gold.readout")]
    public void ABadWorldOrGoldSettingIsRefusedAtLoadUnderItsField(string json, string field)
    {
        File.WriteAllLines(Path.Combine(_folder, "stories.txt"), Enumerable.Range(0, 20).Select(i => $"story {i} ."));

        Assert.Equal(field, LoadFails(json).Field);
    }

    [Fact]
    public void AStoryWorldPipelineReadsItsOwnCorpusAndRuleAndAWorldSeedRedrawsBoth()
    {
        PipelineDefinition World(int seed) => PipelineLoader.Parse($"{{ \"world\": {{ \"version\": \"storyworld-1\", \"seed\": {seed}, \"stories\": 1000 }} }}", "inline.json");

        var (one, two) = (World(1).LoadCorpus(), World(2).LoadCorpus());
        var tokenizer = OverOpt.MLNet.Text.WordTokenizer.Train(one.Stories);

        Assert.Equal("storyworld-1:world1:corpus1001:1000", one.Source);
        Assert.Equal("storyworld-1:world2:corpus1002:1000", two.Source);
        Assert.NotEqual(one.Stories, two.Stories);
        Assert.IsType<OverOpt.MLNet.World.StoryTasteRule>(World(1).Rule(tokenizer, one));
        Assert.NotEqual(World(1).Rule(tokenizer, one).Key, World(2).Rule(tokenizer, one).Key);
        // Without the section, the world is tinytales: the bundled corpus and its rule, as before worlds were a setting.
        var plain = PipelineLoader.Parse("{}", "inline.json");
        Assert.Equal(OverOpt.MLNet.Text.TextCorpus.Bundled().Source, plain.LoadCorpus().Source);
        Assert.IsType<OverOpt.MLNet.RewardModels.GoldPreference>(plain.Rule(tokenizer, one));
    }

    [Fact]
    public void AMisspelledSectionIsRefused()
    {
        var error = LoadFails("{ \"sampling\": { \"responseLenght\": 4 } }");

        Assert.Equal("sampling.responseLenght", error.Field);
        Assert.Contains("responseLength", error.Message);
    }

    [Fact]
    public void AWrongTypeNamesTheField()
    {
        var error = LoadFails("{ \"pretraining\": { \"steps\": \"many\" } }");

        Assert.Equal("pretraining.steps", error.Field);
    }

    [Fact]
    public void HeadsThatDoNotDivideTheWidthAreRefused()
    {
        var error = LoadFails("{ \"policies\": [ { \"name\": \"a\", \"modelDim\": 48, \"heads\": 5 } ] }");

        Assert.Equal("policies[0].heads", error.Field);
        Assert.Contains("does not divide", error.Message);
    }

    [Fact]
    public void AResponseLongerThanTheContextIsRefused()
    {
        var error = LoadFails("{ \"policies\": [ { \"name\": \"a\", \"context\": 16 } ], \"sampling\": { \"promptLength\": 8, \"responseLength\": 12 } }");

        Assert.Equal("policies[0].context", error.Field);
        Assert.Contains("at least 20", error.Message);
    }

    [Fact]
    public void AMissingCorpusFileIsNamed()
    {
        var error = LoadFails("{ \"corpus\": \"no-such-corpus.txt\" }");

        Assert.Equal("corpus", error.Field);
        Assert.Contains("no-such-corpus.txt", error.Message);
    }

    [Fact]
    public void AMissingPipelineFileIsNamed()
    {
        var error = Assert.Throws<OverOptConfigurationException>(() => PipelineLoader.Load(Path.Combine(_folder, "absent.json")));

        Assert.Contains("absent.json", error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
