using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Tests;

[Trait(Speed.Category, Speed.Fast)]
public sealed class NativeAllocatorTests
{
    // 32 MiB: glibc's largest mmap threshold, so mmapped by default; under the 64 MiB heaps of the arenas that
    // threads other than the main one allocate from (test threads are such threads).
    private const long Floats = 8L << 20;
    private const long PagesPerTensor = Floats * sizeof(float) / 4096;

    [SkippableFact]
    public void LoadingLibtorchTellsGlibcToKeepFreedMemory()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "glibc's mallopt is Linux's");
        TorchRuntime.EnsureLoaded();

        Assert.Equal("keep-freed", NativeAllocator.Mode);
        Assert.Equal("glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=2147483647:glibc.malloc.top_pad=67108864", NativeAllocator.EquivalentTunables);
    }

    [SkippableFact]
    public void AFreedLargeTensorsPagesAreReusedWithoutFaultingAgain()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "counts the process's minor page faults from /proc");
        TorchRuntime.EnsureLoaded();
        for (int i = 0; i < 2; i++)
        {
            using var warm = ones(Floats);
        }

        long before = MinorFaults();
        for (int i = 0; i < 5; i++)
        {
            using var tensor = ones(Floats);
        }
        long faults = MinorFaults() - before;

        // glibc's default would mmap each tensor afresh: 8,192 faults apiece, 40,960 in all.
        Assert.True(faults < 5 * PagesPerTensor / 10, $"{faults} minor page faults for 5 tensors of {PagesPerTensor} pages each: the freed pages were returned to the system and faulted back in");
    }

    /// <summary>The process's minor page faults so far (/proc/self/stat, field 10).</summary>
    private static long MinorFaults()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7]);
    }
}
