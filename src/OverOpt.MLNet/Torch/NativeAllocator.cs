using System.Runtime.InteropServices;

namespace OverOpt.MLNet.Torch;

/// <summary>
/// Keeps libtorch's freed tensor memory in the process. glibc serves every block over its mmap threshold (at most
/// 32 MiB) with a fresh mmap and unmaps it on free, trims the main heap's top back to the system, and deletes a
/// thread arena's heap once it is empty, so a loop that frees and reallocates the same large tensors takes a page
/// fault on every 4 KiB page of each one, every time. On the virtual machines this project runs on a fault costs
/// microseconds: a 20,000 x 1,000 log-softmax took 240-560 ms instead of 16-41 ms, and a matmul writing an 80 MB
/// product ran at a quarter of its speed. Here mmap is off for allocations (<c>M_MMAP_MAX</c> 0), the trim threshold
/// is 2 GiB and the top pad 64 MiB (the pad is what keeps an empty thread heap from being deleted), so freed blocks
/// are reused in place; the arithmetic, and so every number, is unchanged. Two limits: the process keeps its peak
/// heap until it exits, and a single block over 64 MiB allocated off the main thread is still mapped afresh (a thread
/// arena's heaps are at most 64 MiB). Linux with glibc only; <c>OVEROPT_MALLOC=default</c> leaves glibc alone.
/// </summary>
public static class NativeAllocator
{
    /// <summary>Set to <c>default</c> to keep glibc's own mmap and trim thresholds.</summary>
    public const string OptOutVariable = "OVEROPT_MALLOC";

    // glibc's malloc.h: mallopt parameters.
    private const int TrimThreshold = -1;
    private const int TopPad = -2;
    private const int MmapMax = -4;
    private const int PaddedBytes = 64 << 20;
    private const int KeptBytes = int.MaxValue;

    /// <summary>The <see cref="Mode"/> where the settings are applied.</summary>
    public const string KeepFreed = "keep-freed";

    private static readonly Lazy<string> Applied = new(Apply);

    /// <summary>What was applied: <c>keep-freed</c>, or why nothing was (<c>default</c>, <c>not-glibc</c>).</summary>
    public static string Mode => Applied.Value;

    /// <summary>
    /// The same settings as glibc tunables for another process (e.g. a Python peer timed beside this one), or null where
    /// this process applied none.
    /// </summary>
    public static string? EquivalentTunables => Mode == KeepFreed ? $"glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold={KeptBytes}:glibc.malloc.top_pad={PaddedBytes}" : null;

    /// <summary>Applies the settings once per process; <see cref="TorchRuntime.EnsureLoaded"/> calls it before libtorch loads.</summary>
    public static void Tune() => _ = Applied.Value;

    private static string Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "default";
        }
        if (string.Equals(Environment.GetEnvironmentVariable(OptOutVariable), "default", StringComparison.OrdinalIgnoreCase))
        {
            return "default";
        }
        try
        {
            // mallopt returns 1 on success; musl and other C libraries have no such entry point.
            return mallopt(MmapMax, 0) == 1 && mallopt(TrimThreshold, KeptBytes) == 1 && mallopt(TopPad, PaddedBytes) == 1 ? KeepFreed : "default";
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return "not-glibc";
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
