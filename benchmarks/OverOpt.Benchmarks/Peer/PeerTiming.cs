using System.Diagnostics;

namespace OverOpt.Benchmarks.Peer;

/// <summary>
/// One side's timing of one operation, by the protocol both sides share (the Python peer's is the same loop): untimed
/// warm-up calls, then timed calls one by one. BenchmarkDotNet cannot time a Python process, so the project's side is
/// timed by this same loop rather than by BenchmarkDotNet, and the ratio compares like with like.
/// </summary>
internal sealed record PeerTiming(double MedianSeconds, double MinSeconds, double MeanSeconds, int Calls)
{
    public static PeerTiming Measure(Action call, int warmup, int repeats)
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
        return FromSamples(seconds);
    }

    public static PeerTiming FromSamples(IReadOnlyList<double> seconds)
    {
        var sorted = seconds.Order().ToArray();
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return new PeerTiming(median, sorted[0], sorted.Average(), sorted.Length);
    }

    /// <summary>Calls needed for about <paramref name="targetSeconds"/> of timing at this median, between the bounds.</summary>
    public int RepeatsFor(double targetSeconds, int least, int most) => Math.Clamp((int)Math.Ceiling(targetSeconds / Math.Max(MedianSeconds, 1e-6)), least, most);
}
