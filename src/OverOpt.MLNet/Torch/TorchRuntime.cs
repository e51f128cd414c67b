using System.Runtime.InteropServices;
using OverOpt.MLNet.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Torch;

/// <summary>Loads libtorch once per process (its CPU kernels pinned and glibc told to keep freed memory first, see <see cref="CpuKernels"/> and <see cref="NativeAllocator"/>), explains a failed load, and resolves devices and thread counts.</summary>
public static class TorchRuntime
{
    private const string RequiredSymbol = "GLIBCXX_3.4.32";
    private static readonly Lazy<Exception?> LoadFailure = new(TryLoad);

    /// <summary>
    /// Throws <see cref="PlatformNotSupportedException"/> with the missing piece and its fix when TorchSharp's native
    /// library cannot load (TorchSharp's own message blames a missing package reference, which misleads).
    /// </summary>
    public static void EnsureLoaded()
    {
        if (LoadFailure.Value is { } failure)
        {
            throw new PlatformNotSupportedException(Explain(failure), failure);
        }
    }

    /// <summary>"cpu", "cuda" or "cuda:N". A GPU is never required: asking for one that is absent is a configuration error.</summary>
    public static Device ResolveDevice(string name, string field = "device")
    {
        EnsureLoaded();
        string normalized = name.Trim().ToLowerInvariant();
        if (normalized == "cpu")
        {
            return CPU;
        }
        if (normalized.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
            {
                throw new OverOptConfigurationException($"device '{name}' was asked for, but this machine has no CUDA device TorchSharp can use.", field, "use --device cpu (the default), or run on a machine with a GPU and TorchSharp's CUDA libtorch.");
            }
            return new Device(normalized);
        }
        throw new OverOptConfigurationException($"unknown device '{name}'.", field, "use 'cpu', 'cuda' or 'cuda:N'.");
    }

    /// <summary>Fixes libtorch's intra-op threads: results are reproducible only at a fixed thread count.</summary>
    public static void SetThreads(int threads)
    {
        EnsureLoaded();
        // A thread's first libtorch call sets its count to the process-wide one, overriding a set_num_threads made before
        // it; making that call first lets this thread's count stick whatever other threads set later.
        _ = torch.get_num_threads();
        torch.set_num_threads(threads > 0 ? threads : Environment.ProcessorCount);
    }

    private static Exception? TryLoad()
    {
        try
        {
            CpuKernels.Pin();
            NativeAllocator.Tune();
            InitializeDeviceType(DeviceType.CPU);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static string Explain(Exception failure)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && !SystemLibStdCxxHas(RequiredSymbol))
        {
            return $"TorchSharp's native library cannot load: the system C++ runtime (libstdc++.so.6) lacks {RequiredSymbol}, which libtorch 2.10 needs. "
                + "Fix: run scripts/ensure-native.sh as root (on Debian 12 it installs libstdc++6 from Debian 13), or install a libstdc++6 from GCC 13 or newer.";
        }
        return $"TorchSharp's native library cannot load ({failure.Message.Split('\n')[0]}). "
            + "Fix: restore the project on this OS so its libtorch-cpu package for this platform is present (dotnet restore), and check the native dependencies with ldd.";
    }

    private static bool SystemLibStdCxxHas(string symbol)
    {
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"];
        foreach (var path in candidates.Where(File.Exists))
        {
            var bytes = File.ReadAllBytes(path);
            var needle = System.Text.Encoding.ASCII.GetBytes(symbol);
            if (bytes.AsSpan().IndexOf(needle) >= 0)
            {
                return true;
            }
        }
        return false;
    }
}
