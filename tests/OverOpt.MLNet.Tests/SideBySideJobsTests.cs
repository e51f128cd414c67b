using System.Text.RegularExpressions;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// The library's jobs side by side (pretraining, sampling, reward-model training and PPO, two at a time as the
/// pipelines run them) while another thread runs full garbage collections back to back, in a process of its own
/// (OverOpt.MLNet.StressJobs): a native object that TorchSharp leaves to the finalizer while libtorch still reads it
/// ends such a process within seconds ("Unknown scalar type", "Expected false to be true ... toFloat", a segfault).
/// Tiered compilation is off there, so that the optimized code, which lets a dead Scalar or tensor be collected
/// mid-call, runs from the first call instead of after warm-up. Before the fix, 10 runs of 10 s of 10 ended so, each
/// within 2 s.
/// </summary>
public sealed class SideBySideJobsTests
{
    [Fact]
    public void TheLibrarysJobsRunSideBySideWhileTheCollectorRunsWithoutPause()
    {
        string host = Path.Combine(AppContext.BaseDirectory, "OverOpt.MLNet.StressJobs.dll");
        Assert.True(File.Exists(host), $"{host} is missing: the test project references the stress host so that it is built beside it.");

        var (code, output) = ExternalProcess.Run("dotnet", [host, "8"], TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0" });

        Assert.True(code == 0, $"the stress host exited with {code} (134: an exception from libtorch, 139: a segfault):\n{Tail(output)}");
        var summary = Regex.Match(output, @"stress: (\d+) rounds .* (\d+) full collections");
        Assert.True(summary.Success, $"no summary line:\n{Tail(output)}");
        // Enough work and collections that the old code never got this far (it failed within 2 s every time).
        Assert.True(int.Parse(summary.Groups[1].Value) >= 4, summary.Value);
        Assert.True(int.Parse(summary.Groups[2].Value) >= 1000, summary.Value);
    }

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(40));
}
