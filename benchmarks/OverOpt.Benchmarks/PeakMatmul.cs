using static TorchSharp.torch;

namespace OverOpt.Benchmarks;

/// <summary>
/// The machine's practical peak: a float32 512 x 512 by 512 x 512 sgemm (torch.mm, 2 x 512^3 = 268 MFLOP) at the
/// thread count the benchmarks set. Every FLOP-counted benchmark class runs it as its <c>Matmul</c> benchmark, so
/// the peak it is compared with is measured in the same run, under the same load.
/// </summary>
/// <remarks>
/// A helper each class calls rather than a base class with the [Benchmark]: a base's attribute would fix one Baseline
/// flag for every class, and the sampling and PPO classes keep their own baselines (recompute, one rollout) so that
/// their Ratio columns still say what they said. The peak-share column finds the matmul by method name instead.
/// </remarks>
internal sealed class PeakMatmul : IDisposable
{
    /// <summary>The name every class gives its matmul benchmark; <see cref="PeakShareColumn"/> looks it up by this name.</summary>
    public const string MethodName = "Matmul";
    public const int Size = 512;

    private readonly Tensor _a;
    private readonly Tensor _b;

    public PeakMatmul()
    {
        using var generator = new Generator(11);
        _a = randn([Size, Size], generator: generator);
        _b = randn([Size, Size], generator: generator);
    }

    /// <summary>FLOPs of one multiply: 2 m n k.</summary>
    public static double Flops => 2.0 * Size * Size * Size;

    public void Run()
    {
        using var product = _a.mm(_b);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }
}
