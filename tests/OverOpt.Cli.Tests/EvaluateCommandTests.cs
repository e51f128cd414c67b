using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.ML;
using OverOpt.Experiments.Reporting;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Fits;
using Parquet.Serialization;

namespace OverOpt.Cli.Tests;

/// <summary><c>overopt evaluate bon</c> end to end: each file format, the pipeline's own samples, the outputs, and bad files.</summary>
[Trait(Speed.Category, Speed.Fast)]
[Collection(nameof(CliTests))]
public sealed class EvaluateCommandTests : IDisposable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly string _folder = Directory.CreateTempSubdirectory("overopt-evaluate-").FullName;

    /// <summary>The row type written to Parquet; its property names are the column names of every format here.</summary>
    public sealed class SampleRow
    {
        public int Prompt { get; set; }

        public float Proxy { get; set; }

        public float Gold { get; set; }
    }

    private static SampleRow[] Rows(int prompts, int perPrompt, int seed)
        => ScoredSamples.Make(Enumerable.Repeat(perPrompt, prompts).ToArray(), seed)
            .Select(s => new SampleRow { Prompt = s.PromptIndex, Proxy = s.ProxyScore, Gold = s.GoldScore }).ToArray();

    private string Path(string name) => System.IO.Path.Combine(_folder, name);

    private static string Number(float value) => value.ToString("R", Invariant);

    private string WriteDelimited(string name, char separator, IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        string path = Path(name);
        File.WriteAllLines(path, rows.Prepend(header).Select(cells => string.Join(separator, cells)));
        return path;
    }

    private string Write(string format, SampleRow[] rows)
    {
        string[] header = [nameof(SampleRow.Prompt), nameof(SampleRow.Proxy), nameof(SampleRow.Gold)];
        switch (format)
        {
            case "csv":
            case "tsv":
                // Text ids here, numbers in the other formats: ids of either kind group the same way.
                return WriteDelimited($"samples.{format}", format == "csv" ? ',' : '\t', header,
                    rows.Select(r => new[] { $"prompt-{r.Prompt}", Number(r.Proxy), Number(r.Gold) }));
            case "csv.gz":
                string plain = Write("csv", rows);
                string compressed = Path("samples.csv.gz");
                using (var source = File.OpenRead(plain))
                using (var target = new System.IO.Compression.GZipStream(File.Create(compressed), System.IO.Compression.CompressionLevel.Optimal))
                {
                    source.CopyTo(target);
                }
                return compressed;
            case "parquet":
                string parquet = Path("samples.parquet");
                ParquetSerializer.SerializeAsync(rows, parquet).GetAwaiter().GetResult();
                return parquet;
            default:
                string database = Path("samples.db");
                using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
                {
                    connection.Open();
                    using var create = connection.CreateCommand();
                    create.CommandText = "CREATE TABLE samples (Prompt INTEGER, Proxy REAL, Gold REAL)";
                    create.ExecuteNonQuery();
                    foreach (var r in rows)
                    {
                        using var insert = connection.CreateCommand();
                        insert.CommandText = "INSERT INTO samples VALUES ($prompt, $proxy, $gold)";
                        insert.Parameters.AddWithValue("$prompt", r.Prompt);
                        insert.Parameters.AddWithValue("$proxy", (double)r.Proxy);
                        insert.Parameters.AddWithValue("$gold", (double)r.Gold);
                        insert.ExecuteNonQuery();
                    }
                }
                return database;
        }
    }

    /// <summary>curves.csv and fits.csv as CurveTables writes them for one curve.</summary>
    private (string Curves, string Fits) Tables(IReadOnlyList<CurvePoint> points, OverOpt.MLNet.Fits.GoldCurveFit fit)
    {
        CurveTables.WriteCurves(Path("expected-curves.csv"), points);
        CurveTables.WriteFits(Path("expected-fits.csv"), [new FitRow(points[0].Key, fit)]);
        return (File.ReadAllText(Path("expected-curves.csv")), File.ReadAllText(Path("expected-fits.csv")));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("tsv")]
    [InlineData("csv.gz")]
    [InlineData("parquet")]
    [InlineData("sqlite")]
    public void EachFormatGivesTheCurveOfTheEvaluatorOnTheSameNumbers(string format)
    {
        var rows = Rows(prompts: 6, perPrompt: 40, seed: 11);
        string data = Write(format, rows);
        string output = Path("out");
        var byPrompt = rows.GroupBy(r => r.Prompt).ToList();
        var expected = BestOfNEvaluator.Evaluate(
            byPrompt.Select(g => g.Select(r => r.Proxy).ToArray()).ToArray(),
            byPrompt.Select(g => g.Select(r => r.Gold).ToArray()).ToArray(),
            new BestOfNOptions { MaxN = 40, Points = 8, BootstrapResamples = 200, Seed = 3, Proxy = "Proxy" });

        string[] table = format == "sqlite" ? ["--table", "samples"] : [];
        var (code, _, error) = CliRunner.Run([
            "evaluate", "bon", "--data", data, .. table, "--prompt-column", "Prompt", "--proxy-column", "Proxy", "--gold-column", "Gold",
            "--max-n", "40", "--points", "8", "--bootstrap", "200", "--seed", "3", "--raw-scores", "--output", output]);

        Assert.True(code == 0, error);
        var (curves, fits) = Tables(expected.Points, expected.Fit);
        Assert.Equal(curves, File.ReadAllText(System.IO.Path.Combine(output, "curves.csv")));
        Assert.Equal(fits, File.ReadAllText(System.IO.Path.Combine(output, "fits.csv")));
    }

    [Fact]
    public void ThePipelinesScoredSamplesInAFileGiveThePipelinesCurve()
    {
        // The rows the pipeline's best-of-n stage builds, written out with their own column names (the defaults).
        var samples = ScoredSamples.Make([50, 50, 50, 50], seed: 12);
        string data = WriteDelimited("scored.csv", ',', [nameof(ScoredSample.PromptIndex), nameof(ScoredSample.ProxyScore), nameof(ScoredSample.GoldScore)],
            samples.Select(s => new[] { s.PromptIndex.ToString(Invariant), Number(s.ProxyScore), Number(s.GoldScore) }));
        var ml = new MLContext(1);
        var options = new BestOfNOptions { MaxN = 50, Points = 6, BootstrapResamples = 100, Seed = 1, Proxy = nameof(ScoredSample.ProxyScore) };
        var transformer = ml.Overoptimization().BestOfNCurve(options);
        var curveView = transformer.Transform(ml.Data.LoadFromEnumerable(samples));
        var pipelineCurve = ml.Data.CreateEnumerable<CurvePoint>(curveView, reuseRowObject: false).ToList();

        var (code, _, error) = CliRunner.Run("evaluate", "bon", "--data", data, "--max-n", "50", "--points", "6", "--bootstrap", "100", "--raw-scores", "--output", Path("out"));

        Assert.True(code == 0, error);
        Assert.Equal(Tables(pipelineCurve, ml.Overoptimization().FitGoldCurve(curveView, GoldCurveForm.BestOfN)).Curves, File.ReadAllText(Path("out/curves.csv")));
    }

    [Fact]
    public void TheCommandWritesCurvesFitsFiguresAndAReportAndNamesLeftOutPrompts()
    {
        var random = new Random(13);
        var cells = new List<string[]>();
        foreach (var (prompt, count) in new[] { ("q1", 30), ("q2", 30), ("short one", 4), ("q3", 30) })
        {
            for (int i = 0; i < count; i++)
            {
                double x = random.NextDouble() * 4;
                cells.Add([prompt, (x + random.NextDouble() * 0.5).ToString("R", Invariant), (x - random.NextDouble() * 0.5).ToString("R", Invariant), (x < 3 ? x : 6 - x).ToString("R", Invariant)]);
            }
        }
        string data = WriteDelimited("mine.csv", ',', ["prompt", "rm_a", "rm_b", "gold"], cells);
        string output = Path("report");

        var (code, stdout, error) = CliRunner.Run("evaluate", "bon", "--data", data, "--prompt-column", "prompt", "--proxy-column", "rm_a", "rm_b",
            "--gold-column", "gold", "--max-n", "20", "--points", "6", "--bootstrap", "100", "--output", output);

        Assert.True(code == 0, error);
        Assert.Contains("left out 1 prompt(s) with fewer than n = 20 samples: 'short one' (4)", error);
        Assert.Contains("3 prompts, 90 samples, n up to 20", stdout);
        foreach (var file in new[] { "curves.csv", "fits.csv", "bon-scores-vs-d.png", "gold-vs-proxy.png", "report.md" })
        {
            Assert.True(new FileInfo(System.IO.Path.Combine(output, file)).Length > 0, file);
        }
        var curves = File.ReadAllLines(System.IO.Path.Combine(output, "curves.csv"));
        Assert.Equal(1 + 5 * BestOfNMath.GridEvenInD(20, 6).Length, curves.Length);
        Assert.Equal(["rm_a", "rm_b", "ensemble-mean", "ensemble-min", "ensemble-uwo-0.5"], curves.Skip(1).Select(l => l.Split(',')[Array.IndexOf(curves[0].Split(','), "proxy")]).Distinct());
        Assert.Equal(6, File.ReadAllLines(System.IO.Path.Combine(output, "fits.csv")).Length);
        string report = File.ReadAllText(System.IO.Path.Combine(output, "report.md"));
        Assert.Contains("`short one`: 4 samples", report);
        Assert.Contains("| ensemble-uwo-0.5 |", report);
    }

    public static TheoryData<string, string[], string> BadFiles => new()
    {
        { "prompt,a,gold\np1,1,1\np1,2,2\np1,3,3\n", ["--proxy-column", "score"], "field 'score': there is no proxy score column 'score'; the columns present are 'prompt', 'a', 'gold'." },
        { "prompt,a,gold\np1,1,1\np1,2,2\np1,x3,3\n", [], "field 'a': column 'a', data row 3 holds 'x3', which is not a number." },
        { "prompt,a,gold\np1,1,1\np1,2,NaN\np1,3,3\n", [], "field 'gold': column 'gold', data row 2 is NaN" },
        { "prompt,a,gold\np1,1,1\np1,2,2\np1,3,-1e39\n", [], "field 'gold': column 'gold', data row 3 is -Infinity" },
        { "prompt,a,gold\np1,1,1\np1,,2\np1,3,3\n", [], "field 'a': column 'a', data row 2 is empty (no value)." },
        { "prompt,a,gold\np1,1,1\n,2,2\np1,3,3\n", [], "field 'prompt': column 'prompt', data row 2 has no prompt id" },
        { "prompt,a,gold\np1,1,1\np1,2,2\np2,3,3\n", ["--max-n", "3"], "field 'maxN': no prompt has maxN = 3 samples; the most any prompt has is 2 (prompt 'p1')" },
        { "prompt,a,a\np1,1,1\n", [], "field 'header': the header names column 'a' twice." },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void ABadFileStopsWithExitTwoAndOneLineNamingFileRowAndColumn(string content, string[] extra, string message)
    {
        string data = Path("bad.csv");
        File.WriteAllText(data, content);
        string output = Path("never");

        var (code, stdout, error) = CliRunner.Run(["evaluate", "bon", "--data", data, "--prompt-column", "prompt", "--proxy-column", "a", "--gold-column", "gold", .. extra, "--output", output]);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"overopt: error: {data}: ", line);
        Assert.Contains(message, line);
        Assert.Contains("Fix: ", line);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void UnreadableInputsAreNamedAndAFailedRunKeepsEarlierFiles()
    {
        string output = Path("out");
        string good = Write("sqlite", Rows(prompts: 3, perPrompt: 10, seed: 14));
        var first = CliRunner.Run("evaluate", "bon", "--data", good, "--table", "samples", "--prompt-column", "Prompt", "--proxy-column", "Proxy", "--gold-column", "Gold", "--points", "4", "--bootstrap", "50", "--output", output);
        string curves = File.ReadAllText(System.IO.Path.Combine(output, "curves.csv"));
        File.WriteAllText(Path("samples.json"), "{}");
        File.WriteAllText(Path("broken.parquet"), "not parquet");

        var noTable = CliRunner.Run("evaluate", "bon", "--data", good, "--output", output);
        var wrongTable = CliRunner.Run("evaluate", "bon", "--data", good, "--table", "sample", "--output", output);
        var absent = CliRunner.Run("evaluate", "bon", "--data", Path("absent.csv"), "--output", output);
        var json = CliRunner.Run("evaluate", "bon", "--data", Path("samples.json"), "--output", output);
        var broken = CliRunner.Run("evaluate", "bon", "--data", Path("broken.parquet"), "--output", output);

        Assert.Equal(0, first.Code);
        Assert.All(new[] { noTable, wrongTable, absent, json, broken }, run => Assert.Equal(2, run.Code));
        Assert.Contains($"{good}: field '--table': a SQLite database needs a table; its tables are 'samples'.", noTable.Error);
        Assert.Contains("there is no table 'sample'; the tables are 'samples'.", wrongTable.Error);
        Assert.Contains("absent.csv: field '--data': the file does not exist.", absent.Error);
        Assert.Contains("samples.json: field '--data': '.json' is not a format this command reads.", json.Error);
        Assert.Contains("broken.parquet: field 'data': it could not be read as Parquet", broken.Error);
        Assert.Equal(curves, File.ReadAllText(System.IO.Path.Combine(output, "curves.csv")));
    }

    [Fact]
    public void ACompressedFileNamedAsPlainTextIsNamedAsCompressed()
    {
        string compressed = Write("csv.gz", Rows(prompts: 3, perPrompt: 10, seed: 2));
        string misnamed = Path("misnamed.csv");
        File.Copy(compressed, misnamed);

        var (code, _, error) = CliRunner.Run("evaluate", "bon", "--data", misnamed, "--output", Path("out"));

        Assert.Equal(2, code);
        Assert.Contains($"{misnamed}: field '--data': the file is gzip-compressed, but its name ends in '.csv'", error);
        Assert.Contains("Fix: name it misnamed.csv.gz", error);
    }

    [Fact]
    public void OnePromptGivesCurvesWithoutIntervalsAndSaysWhy()
    {
        string data = Write("csv", Rows(prompts: 1, perPrompt: 30, seed: 4));
        string output = Path("out");

        var (code, _, error) = CliRunner.Run("evaluate", "bon", "--data", data, "--prompt-column", "Prompt", "--proxy-column", "Proxy", "--gold-column", "Gold",
            "--points", "5", "--output", output);

        Assert.True(code == 0, error);
        Assert.Contains("one prompt evaluated: its curves have no 95% intervals (left empty)", error);
        Assert.Contains("no intervals (left empty in curves.csv and fits.csv): a bootstrap over prompts needs at least 2 prompts", File.ReadAllText(System.IO.Path.Combine(output, "report.md")));
        Assert.DoesNotContain("bootstrap resamples of prompts", File.ReadAllText(System.IO.Path.Combine(output, "report.md")));
        var curves = File.ReadAllLines(System.IO.Path.Combine(output, "curves.csv"));
        int low = Array.IndexOf(curves[0].Split(','), "gold_ci_low");
        Assert.All(curves.Skip(1), row => Assert.Equal("", row.Split(',')[low]));
    }

    [Fact]
    public void EvaluateBonHasHelp()
    {
        var (code, output, _) = CliRunner.Run("evaluate", "bon", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--proxy-column", output);
        Assert.Contains("--raw-scores", output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
