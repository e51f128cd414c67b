using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using static TorchSharp.torch;

namespace OverOpt.Benchmarks;

/// <summary>
/// Where the model paths lose against the matmul peak, one piece of a transformer block at a time, at the shapes
/// the paths run: the MLP's d x 4d matmul (Fc) and causal attention (scaled_dot_product_attention, 4 heads, 24
/// positions) over one batch of 24-token sequences (128 sequences: a reward-model training step of 2x32 and 3x64;
/// 512: a scoring batch of gold's 4x128), and the fixed cost of one TorchSharp op (a 1-element add: the call into
/// libtorch, its dispatch and the tensor handle). One operation is one op; the 512^3 matmul is the baseline.
/// </summary>
[Config(typeof(Config))]
public class ComponentBenchmarks
{
    private const int Positions = 24;
    private const int Heads = 4;

    // (benchmark, sequences, width)
    private static readonly (string Name, int Sequences, int Width)[] Pieces =
    [
        (nameof(Fc2x32), 128, 32), (nameof(Fc3x64), 128, 64), (nameof(Fc4x128), 512, 128),
        (nameof(Attention2x32), 128, 32), (nameof(Attention3x64), 128, 64), (nameof(Attention4x128), 512, 128),
    ];

    private PeakMatmul _matmul = null!;
    private Dictionary<string, Tensor[]> _inputs = null!;
    private Tensor _one = null!;

    [GlobalSetup]
    public void Setup()
    {
        BenchmarkThreads.Apply();
        _matmul = new PeakMatmul();
        using var generator = new Generator(13);
        _inputs = Pieces.ToDictionary(p => p.Name, p => p.Name.StartsWith("Fc", StringComparison.Ordinal)
            ? new[] { randn([p.Sequences * Positions, p.Width], generator: generator), randn([p.Width, 4 * p.Width], generator: generator) }
            : Enumerable.Range(0, 3).Select(_ => randn([p.Sequences, Heads, Positions, p.Width / Heads], generator: generator)).ToArray());
        _one = ones(1);
    }

    [Benchmark(Baseline = true)]
    public void Matmul() => _matmul.Run();

    [Benchmark]
    public void Fc2x32() => Fc(nameof(Fc2x32));

    [Benchmark]
    public void Fc3x64() => Fc(nameof(Fc3x64));

    [Benchmark]
    public void Fc4x128() => Fc(nameof(Fc4x128));

    [Benchmark]
    public void Attention2x32() => Attention(nameof(Attention2x32));

    [Benchmark]
    public void Attention3x64() => Attention(nameof(Attention3x64));

    [Benchmark]
    public void Attention4x128() => Attention(nameof(Attention4x128));

    [Benchmark]
    public void TinyOp()
    {
        using var sum = _one.add(_one);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _matmul.Dispose();
        foreach (var tensor in _inputs.Values.SelectMany(t => t))
        {
            tensor.Dispose();
        }
        _one.Dispose();
    }

    private void Fc(string name)
    {
        var inputs = _inputs[name];
        using var product = inputs[0].mm(inputs[1]);
    }

    private void Attention(string name)
    {
        var qkv = _inputs[name];
        using var attended = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], is_casual: true);
    }

    /// <summary>Fc: 2 x rows x d x 4d. Attention: 4 x T^2 x d per sequence, every query-key pair counted (as TransformerFlops does).</summary>
    private static double? Flops(BenchmarkCase benchmarkCase)
    {
        string method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        if (method == PeakMatmul.MethodName)
        {
            return PeakMatmul.Flops;
        }
        return Pieces.Where(p => p.Name == method)
            .Select(p => (double?)(method.StartsWith("Fc", StringComparison.Ordinal)
                ? 2.0 * p.Sequences * Positions * p.Width * 4 * p.Width
                : 4.0 * p.Sequences * Positions * Positions * p.Width))
            .FirstOrDefault();
    }

    private sealed class Config() : FlopConfig(Flops, warmupCount: 1, iterationCount: 5);
}
