using System.Diagnostics;

namespace OverOpt.Benchmarks.Peer;

/// <summary>
/// One side's timing of one operation, by the protocol both sides share (the Python peer's is the same loop): untimed
/// warm-up calls, then timed calls one by one, and their median. BenchmarkDotNet cannot time a Python process, so the
/// project's side is timed by this same loop rather than by BenchmarkDotNet, and the ratio compares like with like.
/// </summary>
internal static class PeerTiming
{
    /// <summary>The median seconds of <paramref name="repeats"/> timed calls after <paramref name="warmup"/> untimed ones.</summary>
    public static double MedianSeconds(Action call, int warmup, int repeats)
    {
        for (int i = 0; i < warmup; i++)
        {
            call();
        }
        var seconds = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            call();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(seconds);
        return seconds.Length % 2 == 1 ? seconds[seconds.Length / 2] : (seconds[seconds.Length / 2 - 1] + seconds[seconds.Length / 2]) / 2;
    }

    /// <summary>Calls needed for about <paramref name="targetSeconds"/> of timing at <paramref name="medianSeconds"/> a call, between the bounds.</summary>
    public static int RepeatsFor(double medianSeconds, double targetSeconds, int least, int most)
        => Math.Clamp((int)Math.Ceiling(targetSeconds / Math.Max(medianSeconds, 1e-6)), least, most);
}
