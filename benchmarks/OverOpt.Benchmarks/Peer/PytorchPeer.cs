using System.Diagnostics;
using System.Text.Json;
using OverOpt.MLNet.Torch;

namespace OverOpt.Benchmarks.Peer;

/// <summary>
/// The Python side: Debian 13's PyTorch 2.6, unpacked into the project's own folder by
/// <c>scripts/install-peer-pytorch.sh</c> (run here when the folder is missing), running
/// <c>benchmarks/peer/pytorch_peer.py</c> one case at a time with the project's thread count and timing protocol.
/// </summary>
internal sealed class PytorchPeer(string repository, string python)
{
    public const string Script = "benchmarks/peer/pytorch_peer.py";
    public const string Installer = "scripts/install-peer-pytorch.sh";

    /// <summary>The peer from the repository around the current folder, installing PyTorch first when it is missing.</summary>
    public static PytorchPeer Locate()
    {
        string repository = FindRepository();
        string installer = Path.Combine(repository, Installer);
        var start = new ProcessStartInfo("bash", [installer]) { RedirectStandardOutput = true, RedirectStandardError = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {installer}.");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Installer} failed (exit {process.ExitCode}, its message above); the peer benchmark needs the PyTorch it unpacks.");
        }
        string python = output.Trim().Split('\n')[^1].Trim();
        return new PytorchPeer(repository, python);
    }

    public string Version => Run(["-c", "import torch; print(torch.__version__)"]).Trim();

    /// <summary>Times one case in a fresh Python process (the timing protocol of <see cref="PeerTiming"/>).</summary>
    public PeerResult Measure(string path, string shape, int threads, int warmup, int repeats, int vocabulary)
    {
        string shapeOption = path switch
        {
            ProjectCases.RewardTraining or ProjectCases.RewardScoring => "--shapes-rm",
            ProjectCases.PpoStep => "--shapes-ppo",
            _ => "--shapes-sample",
        };
        string output = Run([Path.Combine(repository, Script), "--threads", threads.ToString(), "--paths", path, shapeOption, shape,
            "--vocab", vocabulary.ToString(), "--warmup", warmup.ToString(), "--repeats", repeats.ToString(), "--seed", "1"], threads);
        string line = output.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith('{'));
        var result = JsonSerializer.Deserialize<PeerResult>(line, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
            ?? throw new InvalidOperationException($"{Script} printed no result for {path} {shape}: {output}");
        return result;
    }

    private string Run(IEnumerable<string> arguments, int threads = 1)
    {
        var start = new ProcessStartInfo(python, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        // OpenBLAS's OpenMP build and torch's pool both read it; the kernel pins (CpuKernels) are inherited from this process.
        start.Environment["OMP_NUM_THREADS"] = threads.ToString();
        // The allocator settings this process runs under (NativeAllocator), so that neither side pays page faults the other does not.
        if (NativeAllocator.EquivalentTunables is { } tunables)
        {
            start.Environment["GLIBC_TUNABLES"] = tunables;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}.");
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{python} {string.Join(' ', start.ArgumentList)} failed (exit {process.ExitCode}): {error.Result}");
        }
        return output;
    }

    private static string FindRepository()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "OverOpt.MLNet.sln")))
                {
                    return folder.FullName;
                }
            }
        }
        throw new InvalidOperationException("the peer benchmark runs from inside the repository (it needs OverOpt.MLNet.sln's folder for its Python script and installer).");
    }
}

/// <summary>What the runner reads of a JSON line of <c>pytorch_peer.py</c>: median seconds per call, units per call, and the timed network's parameters.</summary>
internal sealed record PeerResult(long Params, int OpsPerCall, double MedianS);
