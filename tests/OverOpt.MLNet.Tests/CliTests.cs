using OverOpt.Cli;

namespace OverOpt.MLNet.Tests;

/// <summary>The command line end to end: exit codes and messages as a person sees them.</summary>
[Collection(nameof(CliTests))]
public sealed class CliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("overopt-cli-").FullName;

    private (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            return (Program.Main(args), output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    [Fact]
    public void ABadPipelineStopsWithExitCodeTwoAndOneClearLine()
    {
        string path = Path.Combine(_folder, "bad.json");
        File.WriteAllText(path, "{ \"policies\": [ { \"name\": \"a\", \"modelDim\": 64, \"heads\": 6 } ] }");

        var (code, _, error) = Run("run", path, "--output", Path.Combine(_folder, "out"));

        Assert.Equal(2, code);
        Assert.Contains($"{path}: field 'policies[0].heads'", error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(Directory.Exists(Path.Combine(_folder, "out")));
    }

    [Fact]
    public void TheRunPipelineWritesItsResultsAndReusesTheCache()
    {
        string path = Path.Combine(_folder, "tiny.json");
        File.WriteAllText(path, """
            {
              "name": "tiny",
              "policies": [ { "name": "a", "layers": 1, "modelDim": 16, "heads": 2, "context": 16 } ],
              "pretraining": { "steps": 10, "batchSize": 4, "evaluationInterval": 5, "validationWindows": 8 },
              "sampling": { "promptLength": 4, "responseLength": 6, "prompts": 3, "samplesPerPrompt": 2 }
            }
            """);
        string output = Path.Combine(_folder, "out");
        string cache = Path.Combine(_folder, "cache");

        var first = Run("run", path, "--output", output, "--cache", cache);
        var second = Run("run", path, "--output", output, "--cache", cache);

        Assert.Equal(0, first.Code);
        Assert.Equal(0, second.Code);
        Assert.Contains("saved", first.Error);
        Assert.Contains("reusing", second.Error);
        Assert.Equal(7, File.ReadAllLines(Path.Combine(output, "samples.csv")).Length);
        Assert.True(File.Exists(Path.Combine(output, "summary.json")));
        Assert.Contains("[pretrain a]", first.Error);
    }

    [Fact]
    public void EveryCommandHasHelp()
    {
        foreach (var command in new[] { new[] { "run" }, ["pretrain"], ["sample"], ["bench", "sample"], ["corpus", "generate"] })
        {
            var (code, output, _) = Run([.. command, "--help"]);
            Assert.Equal(0, code);
            Assert.Contains("Usage:", output);
        }
    }

    [Fact]
    public void BenchSampleRefusesAnImpossibleShape()
    {
        var (code, _, error) = Run("bench", "sample", "--d-model", "30", "--heads", "4");

        Assert.Equal(2, code);
        Assert.Contains("field 'heads'", error);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
