using System.Runtime.CompilerServices;
using OverOpt.MLNet.Torch;

namespace OverOpt.Testing;

internal static class TestAssembly
{
    // Tests that call TorchSharp directly would otherwise load libtorch first, before its CPU kernels are pinned, and
    // every later test in the process would run on the CPU's own kernels.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void PinCpuKernels() => CpuKernels.Pin();
}
