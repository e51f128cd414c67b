using System.Runtime.InteropServices;

namespace OverOpt.MLNet.Torch;

/// <summary>
/// Fixes which CPU code paths libtorch takes, so that a seed gives the same numbers on any x86-64 CPU with AVX2,
/// whatever its highest instruction set or maker. Left alone, libtorch picks its kernels by the CPU (AVX2 or AVX-512:
/// other vector widths sum in another order) and its BLAS, Intel's oneMKL, picks its own path by the CPU and its caches
/// (on AMD CPUs it takes its generic branch); training amplifies the rounding differences into different results.
/// Set before libtorch loads: ATen's kernels at AVX2 (<c>ATEN_CPU_CAPABILITY</c>), oneMKL in its conditional
/// numerical reproducibility mode on its compatible branch (<c>MKL_CBWR=COMPATIBLE</c>: the one oneMKL documents as
/// reproducible on Intel and non-Intel CPUs alike), oneDNN capped at AVX2. A variable the user already set is kept,
/// and <see cref="Fingerprint"/> says so, since cached artifacts and checkpoints record it. <c>OVEROPT_CPU_KERNELS=native</c>
/// pins nothing: the CPU's fastest kernels, and numbers that hold on this kind of CPU only.
/// </summary>
public static class CpuKernels
{
    /// <summary>Set to <c>native</c> to leave libtorch's kernel choice to the CPU (faster there, other numbers elsewhere).</summary>
    public const string OptOutVariable = "OVEROPT_CPU_KERNELS";

    /// <summary>The variables and the values this library sets when they are unset (x86-64 only).</summary>
    public static readonly IReadOnlyList<(string Name, string Value)> Pins =
    [
        ("ATEN_CPU_CAPABILITY", "avx2"),
        ("MKL_CBWR", "COMPATIBLE"),
        ("ONEDNN_MAX_CPU_ISA", "AVX2"),
    ];

    private static readonly Lazy<string> Applied = new(Apply);

    /// <summary>
    /// What fixes the kernels in this process, e.g. <c>ATEN_CPU_CAPABILITY=avx2;MKL_CBWR=COMPATIBLE;ONEDNN_MAX_CPU_ISA=AVX2</c>
    /// (with the user's own values where they set them), or <c>native:...</c> where nothing is pinned. Part of every
    /// cache key and checkpoint fingerprint: numbers made under other kernels are never mixed with these.
    /// </summary>
    public static string Fingerprint => Applied.Value;

    /// <summary>Sets the pins (once per process); <see cref="TorchRuntime.EnsureLoaded"/> calls it before libtorch loads.</summary>
    public static void Pin() => _ = Applied.Value;

    private static string Apply()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return $"native:{RuntimeInformation.ProcessArchitecture}";
        }
        if (string.Equals(Environment.GetEnvironmentVariable(OptOutVariable), "native", StringComparison.OrdinalIgnoreCase))
        {
            // The kernels follow the CPU: name what decides them, so that caches of different CPUs are never mixed.
            return $"native:x64-{HighestVectorExtension()}";
        }
        var parts = new List<string>();
        foreach (var (name, value) in Pins)
        {
            string? current = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(current))
            {
                SetNative(name, value);
                current = value;
            }
            parts.Add($"{name}={current}");
        }
        return string.Join(';', parts);
    }

    private static string HighestVectorExtension()
    {
        try
        {
            string flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? "";
            var set = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            return set.Contains("avx512f") ? "avx512" : set.Contains("avx2") ? "avx2" : "default";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    // .NET keeps its own copy of the environment on Unix: libtorch's getenv sees only what libc's setenv wrote.
    private static void SetNative(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (!OperatingSystem.IsWindows() && setenv(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
