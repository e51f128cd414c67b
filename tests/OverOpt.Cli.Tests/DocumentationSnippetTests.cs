using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.ML;

namespace OverOpt.Cli.Tests;

// In the command line's collection: running the README's example swaps Console.Out, as CliRunner does for the
// in-process commands, so the two must not run side by side (one's output went to the other's capture).
/// <summary>
/// Every C# block of the README and docs/ compiles against the project as it is, so examples cannot rot; the README's
/// library example also runs and prints what it says. A block is compiled as a user's Program.cs (top-level statements,
/// then types) in a project with implicit usings and global usings of Microsoft.ML and every OverOpt namespace. A block
/// whose first line starts "// continues the example above" is compiled after the blocks before it in the same file.
/// </summary>
[Collection(nameof(CliTests))]
public sealed partial class DocumentationSnippetTests
{
    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (string file in DocumentFiles())
        {
            for (int i = 0; i < CSharpBlocks(file).Count; i++)
            {
                data.Add(Path.GetRelativePath(Repository.Root, file), i);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void EveryCSharpBlockCompiles(string file, int block)
    {
        var (code, line) = CSharpBlocks(Path.Combine(Repository.Root, file))[block];

        var errors = Program(code).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        Assert.True(errors.Count == 0, $"{file}, the C# block at line {line}:\n" + string.Join("\n", errors));
    }

    [Fact]
    public void TheDocumentsHoldCSharpBlocks()
    {
        // Guards the test above against a pattern that finds nothing (a theory over no blocks passes).
        Assert.True(DocumentFiles().Sum(f => CSharpBlocks(f).Count) >= 5);
        Assert.Single(CSharpBlocks(Repository.File("README.md")));
    }

    [Fact]
    public async Task TheReadmesLibraryExampleRunsAndFindsOveroptimization()
    {
        var (code, _) = CSharpBlocks(Repository.File("README.md"))[0];
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            using var image = new MemoryStream();
            var emitted = Program(code).Emit(image);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
            var entry = Assembly.Load(image.ToArray()).EntryPoint!;
            var result = entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
            if (result is Task task)
            {
                await task;
            }
        }
        finally
        {
            Console.SetOut(console);
        }

        var printed = ExamplePrintout().Match(output.ToString());
        Assert.True(printed.Success, output.ToString());
        Assert.True(double.Parse(printed.Groups["alpha"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, output.ToString());
        Assert.True(double.Parse(printed.Groups["beta"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, output.ToString());
        Assert.Equal("True", printed.Groups["over"].Value);
    }

    private static IEnumerable<string> DocumentFiles() =>
        new[] { Repository.File("README.md") }.Concat(Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md").Order(StringComparer.Ordinal));

    private static List<(string Code, int Line)> CSharpBlocks(string file)
    {
        var lines = File.ReadAllLines(file);
        var blocks = new List<(string, int)>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }
            int start = i + 1;
            int end = Array.FindIndex(lines, start, l => l.Trim() == "```");
            Assert.True(end > 0, $"{file}: the C# block at line {start} is never closed.");
            string code = string.Join("\n", lines[start..end]);
            if (lines[start].Trim().StartsWith("// continues the example above", StringComparison.Ordinal))
            {
                Assert.True(blocks.Count > 0, $"{file}: the C# block at line {start + 1} continues no block above it.");
                code = blocks[^1].Item1 + "\n" + code;
            }
            blocks.Add((code, start + 1));
            i = end;
        }
        return blocks;
    }

    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    // Read once for every block: the project's assemblies and their references, and a global using of each namespace.
    private static readonly Lazy<(SyntaxTree Usings, MetadataReference[] References)> Project = new(() =>
    {
        var library = typeof(OverOptCatalog).Assembly;
        var experiments = typeof(OverOpt.Experiments.Settings.PipelineDefinition).Assembly;
        var namespaces = library.GetTypes().Concat(experiments.GetTypes())
            .Where(t => t.IsPublic && t.Namespace is not null)
            .Select(t => t.Namespace!)
            .Concat(["System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Threading.Tasks", "Microsoft.ML", "Microsoft.ML.Data"])
            .Distinct();
        var usings = CSharpSyntaxTree.ParseText(string.Concat(namespaces.Select(n => $"global using {n};\n")), Parse);
        var references = ReferencedAssemblies(library, experiments, typeof(MLContext).Assembly, typeof(Microsoft.ML.Trainers.FastTree.FastTreeRankingTrainer).Assembly,
                typeof(Microsoft.ML.Transforms.Onnx.OnnxTransformer).Assembly)
            .Select(a => (MetadataReference)MetadataReference.CreateFromFile(a.Location))
            .ToArray();
        return (usings, references);
    });

    private static CSharpCompilation Program(string code)
        => CSharpCompilation.Create("Snippet", [Project.Value.Usings, CSharpSyntaxTree.ParseText(code, Parse)], Project.Value.References,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>The given assemblies and everything they reference, as a program built against them would see them.</summary>
    private static IEnumerable<Assembly> ReferencedAssemblies(params Assembly[] roots)
    {
        roots = [.. roots, typeof(object).Assembly, Assembly.Load("System.Runtime"), Assembly.Load("netstandard")];
        var seen = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>(roots);
        while (pending.TryPop(out var assembly))
        {
            if (assembly.IsDynamic || string.IsNullOrEmpty(assembly.Location) || !seen.TryAdd(assembly.FullName!, assembly))
            {
                continue;
            }
            foreach (var name in assembly.GetReferencedAssemblies())
            {
                try
                {
                    pending.Push(Assembly.Load(name));
                }
                catch (FileNotFoundException)
                {
                    // A reference the runtime never needs here (e.g. a platform-specific facade).
                }
            }
        }
        return seen.Values;
    }

    [GeneratedRegex(@"alpha (?<alpha>-?[0-9.]+), beta (?<beta>-?[0-9.]+), gold peaks at d = [0-9.]+, overoptimized: (?<over>True|False)")]
    private static partial Regex ExamplePrintout();
}
