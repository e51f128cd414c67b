using OverOpt.Experiments.Settings;
using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Experiments.Tests;

/// <summary>Sweep files: the grid, stable indices and hashes, overrides by dotted path, and errors that name the axis.</summary>
[Trait(Speed.Category, Speed.Fast)]
public sealed class SweepFileTests : IDisposable
{
    private readonly SweepTestFiles _files = new();

    [Fact]
    public void TheGridIsTheProductOfTheAxesInRowMajorOrder()
    {
        string path = _files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "seed": [1, 2, 3], "pretraining.steps": [10, 20] }""");

        var sweep = SweepLoader.Load(path);

        Assert.Equal("tiny-sweep", sweep.Name);
        Assert.Equal(6, sweep.Tasks.Count);
        Assert.Equal([(1, 10), (1, 20), (2, 10), (2, 20), (3, 10), (3, 20)], sweep.Tasks.Select(t => (t.Pipeline.Seed, t.Pipeline.Pretraining.Steps)));
        Assert.Equal(Enumerable.Range(0, 6), sweep.Tasks.Select(t => t.Index));
        Assert.Equal("seed=2, pretraining.steps=20", sweep.Tasks[3].Label);
        Assert.Equal(6, sweep.Tasks.Select(t => t.Hash).Distinct().Count());
        Assert.All(sweep.Tasks, t => Assert.Matches("^[0-9a-f]{64}$", t.Hash));
    }

    [Fact]
    public void TheHashDependsOnTheConfigurationNotOnHowTheFilesAreWritten()
    {
        string path = _files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "seed": [1, 2] }""");
        var first = SweepLoader.Load(path);
        // The same pipeline with its fields in another order, a default written out and a comment, and the axis as a float.
        _files.WriteSweep("""
            {
              // same as before
              "gold": null, "seed": 7,
              "sampling": { "samplesPerPrompt": 2, "prompts": 3, "responseLength": 6, "promptLength": 4, "temperature": 1.0 },
              "pretraining": { "validationWindows": 8, "evaluationInterval": 5, "batchSize": 4, "steps": 10 },
              "policies": [ { "heads": 2, "context": 16, "modelDim": 16, "layers": 1, "name": "a" } ],
              "name": "tiny",
            }
            """, """{ "seed": [1, 2] }""");
        var second = SweepLoader.Load(path);
        File.WriteAllText(path, """{ "base": "tiny.json", "name": "tiny-sweep", "axes": { "seed": [1, 3] } }""");
        var third = SweepLoader.Load(path);

        Assert.Equal(first.Tasks.Select(t => t.Hash), second.Tasks.Select(t => t.Hash));
        Assert.Equal(first.Tasks[0].Hash, third.Tasks[0].Hash);
        Assert.NotEqual(first.Tasks[1].Hash, third.Tasks[1].Hash);
    }

    [Fact]
    public void AxesSetListItemsWholeListsAndNullSections()
    {
        string items = _files.WriteSweep(SweepTestFiles.RewardPipeline, """{ "proxies[0].modelDim": [8, 16], "gold.steps": [20, 30] }""");
        string lists = _files.WriteSweep(SweepTestFiles.RewardPipeline, """
            { "proxies": [ [ { "name": "big", "layers": 2, "modelDim": 32, "heads": 4 } ], [ { "name": "f", "kind": "fasttree", "trees": 5, "leaves": 4 } ] ] }
            """, "lists.json");
        string sections = _files.WriteSweep(SweepTestFiles.RewardPipeline, """{ "gold": [ null, { "layers": 1, "modelDim": 16, "heads": 2, "steps": 5 } ] }""", "sections.json");

        var byItem = SweepLoader.Load(items).Tasks;
        var byList = SweepLoader.Load(lists).Tasks;
        var bySection = SweepLoader.Load(sections).Tasks;

        Assert.Equal([(8, 20), (8, 30), (16, 20), (16, 30)], byItem.Select(t => (t.Pipeline.Proxies[0].ModelDim, t.Pipeline.Gold!.Steps)));
        Assert.Equal(["big", "f"], byList.Select(t => t.Pipeline.Proxies.Single().Name));
        Assert.Equal("fasttree", byList[1].Pipeline.Proxies[0].Kind);
        Assert.Equal("proxies=[big]", byList[0].Label);
        Assert.Null(bySection[0].Pipeline.Gold);
        Assert.Equal(5, bySection[1].Pipeline.Gold!.Steps);
        Assert.Equal(new GoldSpec().BatchSize, bySection[1].Pipeline.Gold!.BatchSize); // a section's fields left out take their defaults
    }

    [Fact]
    public void EveryTaskOfASweepOverTheDefaultPipelineIsThatPipelineWithItsOverride()
    {
        string quick = Repository.File("pipelines/quick.json");
        string path = Path.Combine(_files.Folder, "quick-seeds.json");
        File.WriteAllText(path, $$"""{ "base": {{System.Text.Json.JsonSerializer.Serialize(quick)}}, "axes": { "seed": [1, 2], "comparisons.count": [1000] } }""");

        var sweep = SweepLoader.Load(path);

        var expected = PipelineLoader.Load(quick);
        expected.Seed = 2;
        expected.Comparisons.Count = 1000;
        Assert.Equal(CanonicalJson.ToText(expected), CanonicalJson.ToText(sweep.Tasks[1].Pipeline));
        Assert.Equal(sweep.Tasks[1].Hash, SweepLoader.Load(path).Tasks[1].Hash);
    }

    [Fact]
    public void TheBundledSweepFilesLoad()
    {
        var files = Directory.GetFiles(Path.GetDirectoryName(Repository.File("pipelines/quick.json"))!, "*.sweep.json");

        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.NotEmpty(SweepLoader.Load(file).Tasks));
        Assert.Equal(6, SweepLoader.Load(Repository.File("pipelines/quick-seeds.sweep.json")).Tasks.Count);
        Assert.Equal(9, SweepLoader.Load(Repository.File("pipelines/storyworld-size.sweep.json")).Tasks.Count);
        // Sweeps of sweeps: the listed sweeps' tasks in order (54 + 18; 9 + 54 + 3).
        Assert.Equal(72, SweepLoader.Load(Repository.File("pipelines/storyworld-data-all.json")).Tasks.Count);
        Assert.Equal(66, SweepLoader.Load(Repository.File("pipelines/storyworld-paper.json")).Tasks.Count);
        // Iterated RLHF holds its seeds in one pipeline, not a sweep.
        Assert.Equal([1, 2, 4], PipelineLoader.Load(Repository.File("pipelines/iterated-rlhf.json")).IteratedRlhf!.Rounds);
    }

    [Theory]
    [InlineData("""{ "comparisons.cont": [1] }""", "axes[\"comparisons.cont\"]", "its fields are: count, labelNoise, validationFraction")]
    [InlineData("""{ "proxies[0].heads": [3] }""", "axes[\"proxies[0].heads\"]", "heads = 3 does not divide modelDim = 8")]
    [InlineData("""{ "proxies[4].heads": [2] }""", "axes[\"proxies[4].heads\"]", "has 1 item(s) in the base pipeline")]
    [InlineData("""{ "seed.value": [2] }""", "axes[\"seed.value\"]", "not a section")]
    [InlineData("""{ "seed": ["one"] }""", "axes[\"seed\"]", "task 0 (seed=one) is not a valid pipeline")]
    [InlineData("""{ "seed": [1, 1] }""", "axes[\"seed\"]", "listed twice")]
    [InlineData("""{ "seed": [] }""", "axes[\"seed\"]", "non-empty list")]
    [InlineData("""{ "proxies[x]": [1] }""", "axes[\"proxies[x]\"]", "is not a field name")]
    [InlineData("""{ }""", "axes", "no axes")]
    [InlineData("""{ "corpus": [null, "missing.txt"] }""", "axes[\"corpus\"]", "missing.txt' does not exist")]
    [InlineData("""{ "proxies[0].modelDim": [8, 16], "proxies": [[{ "name": "x" }]] }""", "axes", "have the same configuration")]
    public void ABadAxisIsAnErrorNamingTheSweepFileTheAxisAndTheFix(string axes, string field, string problem)
    {
        string path = _files.WriteSweep(SweepTestFiles.RewardPipeline, axes);

        var error = Assert.Throws<OverOptConfigurationException>(() => SweepLoader.Load(path));

        Assert.Equal(path, error.File);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message);
        Assert.NotEmpty(error.Fix);
    }

    [Theory]
    [InlineData("""{ "base": "tiny.json", "axis": { "seed": [1] } }""", "axis", "use one of: name, base, axes")]
    [InlineData("""{ "axes": { "seed": [1] } }""", "base", "names no base pipeline")]
    [InlineData("""{ "base": "nowhere.json", "axes": { "seed": [1] } }""", "base", "does not exist")]
    [InlineData("""{ "base": "tiny.json", "name": "a b", "axes": { "seed": [1] } }""", "name", "cannot name an output folder")]
    [InlineData("""{ "base": "tiny.json", "axes": { "seed": [1] }""", "(document)", "not valid JSON")]
    [InlineData("{ \"base\": \"tiny.json\", \"axes\": {\n \"seed\": [1, 2],\n \"seed\": [3] } }", "axes.seed", "'seed' is given twice in the same object (again at line 3)")]
    [InlineData("""{ "base": "tiny.json", "base": "tiny.json", "axes": { "seed": [1] } }""", "base", "given twice")]
    public void ABadSweepFileIsAnErrorNamingTheField(string json, string field, string problem)
    {
        _files.WriteSweep(SweepTestFiles.RewardPipeline, """{ "seed": [1] }""");
        string path = Path.Combine(_files.Folder, "bad.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<OverOptConfigurationException>(() => SweepLoader.Load(path));

        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void AnIndexOutsideTheGridNamesTheRange()
    {
        var sweep = SweepLoader.Load(_files.WriteSweep(SweepTestFiles.PolicyOnlyPipeline, """{ "seed": [1, 2] }"""));

        var error = Assert.Throws<OverOptConfigurationException>(() => sweep.Task(2));

        Assert.Contains("0 to 1", error.Message);
        Assert.Equal("--index", error.Field);
    }

    public void Dispose() => _files.Dispose();
}
