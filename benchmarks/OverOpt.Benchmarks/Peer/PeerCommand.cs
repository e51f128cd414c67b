using System.Globalization;
using System.Text;
using OverOpt.MLNet.Torch;

namespace OverOpt.Benchmarks.Peer;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/OverOpt.Benchmarks -- peer [--threads 1,2] [--paths ...] [--seconds 4]</c>:
/// every path at each thread count, the project's operation and PyTorch 2.6's twin timed one after the other by the same
/// protocol, and the ratio project speed / PyTorch speed (PyTorch's median time over the project's; above 1 the project
/// is faster). Writes <c>BenchmarkDotNet.Artifacts/peer/peer-pytorch.md</c> and <c>.csv</c>.
/// </summary>
internal static class PeerCommand
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>(path, shape) in the order they run: the shapes of the BenchmarkDotNet classes.</summary>
    private static readonly (string Path, string Shape)[] DefaultCases =
    [
        (ProjectCases.RewardTraining, "2x32"), (ProjectCases.RewardTraining, "3x64"),
        (ProjectCases.RewardScoring, "2x32"), (ProjectCases.RewardScoring, "3x64"),
        (ProjectCases.PpoStep, PpoBenchmarks.ShapeName),
        (ProjectCases.Sampling, "2x64"), (ProjectCases.Sampling, "4x128"),
    ];

    public static int Run(string[] args)
    {
        var threadCounts = Option(args, "--threads", "1,2").Split(',').Select(int.Parse).ToArray();
        var paths = Option(args, "--paths", string.Join(',', ProjectCases.Paths)).Split(',');
        double seconds = double.Parse(Option(args, "--seconds", "4"), C);
        int warmup = int.Parse(Option(args, "--warmup", "2"), C);
        string folder = Option(args, "--output", Path.Combine("BenchmarkDotNet.Artifacts", "peer"));
        var cases = DefaultCases.Where(c => paths.Contains(c.Path)).ToArray();

        TorchRuntime.EnsureLoaded();
        var peer = PytorchPeer.Locate();
        Console.WriteLine($"peer: PyTorch {peer.Version} ({PytorchPeer.Installer}); kernels {CpuKernels.Fingerprint}; allocator {NativeAllocator.Mode} (both sides); {Environment.ProcessorCount} cores");
        var rows = new List<PeerRow>();
        foreach (int threads in threadCounts)
        {
            Environment.SetEnvironmentVariable(BenchmarkThreads.Variable, threads.ToString(C));
            foreach (var (path, shape) in cases)
            {
                using var project = ProjectCases.Create(path, shape);
                TorchRuntime.SetThreads(threads);
                // One untimed call sizes the repeats so that each side is timed for about the same seconds.
                double probe = PeerTiming.MedianSeconds(project.Call, warmup, 1);
                int repeats = PeerTiming.RepeatsFor(probe, seconds, least: 5, most: 200);
                double ours = PeerTiming.MedianSeconds(project.Call, 0, repeats);
                var theirs = peer.Measure(path, shape, threads, warmup, repeats, Shapes.Tokenizer.VocabularySize);
                var row = new PeerRow(path, shape, threads, project.Unit, project.Parameters, theirs.Params,
                    ours / project.UnitsPerCall, theirs.MedianS / theirs.OpsPerCall, repeats);
                rows.Add(row);
                Console.WriteLine(row.Describe());
            }
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "peer-pytorch.md"), Markdown(rows, threadCounts));
        File.WriteAllText(Path.Combine(folder, "peer-pytorch.csv"), Csv(rows));
        Console.WriteLine();
        Console.WriteLine(Markdown(rows, threadCounts));
        Console.WriteLine($"peer: written to {Path.GetFullPath(folder)}");
        return rows.Any(r => !r.ParametersMatch) ? 1 : 0;
    }

    private static string Markdown(IReadOnlyList<PeerRow> rows, int[] threadCounts)
    {
        var text = new StringBuilder();
        text.AppendLine("Project speed / PyTorch speed (PyTorch's median time per unit over the project's; above 1 the project is faster).");
        text.AppendLine();
        text.AppendLine("| path | shape | unit | " + string.Join(" | ", threadCounts.Select(t => $"{t} thread(s): project / PyTorch per unit | ratio")) + " |");
        text.AppendLine("| --- | --- | --- | " + string.Join(" | ", threadCounts.Select(_ => "---: | ---:")) + " |");
        foreach (var group in rows.GroupBy(r => (r.Path, r.Shape)))
        {
            var cells = threadCounts.Select(t => group.FirstOrDefault(r => r.Threads == t) is { } r
                ? $"{Time(r.ProjectSeconds)} / {Time(r.PytorchSeconds)} | {r.Ratio.ToString("F2", C)}{(r.ParametersMatch ? "" : " (parameters differ!)")}"
                : "- | -");
            text.AppendLine($"| {group.Key.Path} | {group.Key.Shape} | {group.First().Unit} | {string.Join(" | ", cells)} |");
        }
        return text.ToString();
    }

    private static string Csv(IReadOnlyList<PeerRow> rows)
    {
        var text = new StringBuilder("path,shape,threads,unit,project_parameters,pytorch_parameters,project_seconds_per_unit,pytorch_seconds_per_unit,ratio,repeats\n");
        foreach (var r in rows)
        {
            text.AppendLine(string.Join(',', r.Path, r.Shape, r.Threads.ToString(C), r.Unit, r.ProjectParameters.ToString(C), r.PytorchParameters.ToString(C),
                r.ProjectSeconds.ToString("R", C), r.PytorchSeconds.ToString("R", C), r.Ratio.ToString("F4", C), r.Repeats.ToString(C)));
        }
        return text.ToString();
    }

    internal static string Time(double seconds) => seconds switch
    {
        >= 1 => $"{seconds.ToString("F2", C)} s",
        >= 1e-3 => $"{(seconds * 1e3).ToString("F2", C)} ms",
        _ => $"{(seconds * 1e6).ToString("F1", C)} us",
    };

    private static string Option(string[] args, string name, string fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
