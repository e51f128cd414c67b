using System.Diagnostics;
using OverOpt.MLNet.Policies;
using TorchSharp;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Sampling;

/// <summary>Sampled tokens per second of a model shape, cached sampler against the recompute baseline in the same process.</summary>
public static class SamplingThroughput
{
    /// <param name="shape">Model shape (random weights: speed does not depend on them).</param>
    /// <param name="batch">Sequences per batch.</param>
    /// <param name="promptLength">Prompt tokens.</param>
    /// <param name="responseLength">Response tokens.</param>
    /// <param name="repeats">Timed batches per sampler, after one warm-up batch each.</param>
    /// <param name="device">Where to run.</param>
    public static SamplingThroughputResult Measure(GptShape shape, int batch, int promptLength, int responseLength, int repeats, Device device)
    {
        using var model = new GptModel(shape, seed: 1);
        model.to(device);
        var options = new SamplingOptions { ResponseLength = responseLength, BatchSize = batch };
        using var promptGenerator = new Generator(7);
        using var cpuPrompts = randint(0, shape.VocabularySize, [batch, promptLength], ScalarType.Int64, generator: promptGenerator);
        using var prompts = cpuPrompts.to(device);
        using var generator = new Generator(11, device);
        double cached = TokensPerSecond(() => PolicySampler.Sample(model, model, prompts, options, generator).Dispose(), batch * responseLength, repeats);
        double recompute = TokensPerSecond(() => RecomputeSampler.Sample(model, prompts, options, generator).Dispose(), batch * responseLength, repeats);
        return new SamplingThroughputResult(model.ParameterCount, cached, recompute);
    }

    private static double TokensPerSecond(Action sample, long tokensPerCall, int repeats)
    {
        sample();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++)
        {
            sample();
        }
        return tokensPerCall * repeats / clock.Elapsed.TotalSeconds;
    }
}

/// <summary>Tokens per second with the KV cache and with full recomputation, and their ratio.</summary>
public sealed record SamplingThroughputResult(long Parameters, double CachedTokensPerSecond, double RecomputeTokensPerSecond)
{
    /// <summary>How many times faster the KV-cached sampler is than full recomputation.</summary>
    public double Speedup => CachedTokensPerSecond / RecomputeTokensPerSecond;
}
