using static TorchSharp.torch;

namespace OverOpt.MLNet.Policies;

/// <summary>
/// The key/value cache of a whole <see cref="GptModel"/> for one batch of sequences. It owns its tensors
/// (outside any dispose scope) and frees them when disposed.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly LayerKvCache[] _layers;

    /// <summary>Allocates zeroed keys and values for every layer of <paramref name="shape"/>, for <paramref name="batch"/> sequences of up to its context, on <paramref name="device"/>.</summary>
    public KvCache(GptShape shape, long batch, Device device)
    {
        Shape = shape;
        Batch = batch;
        _layers = Enumerable.Range(0, shape.Layers).Select(_ => new LayerKvCache(batch, shape, device)).ToArray();
    }

    /// <summary>The shape of the model the cache serves.</summary>
    public GptShape Shape { get; }

    /// <summary>Sequences the cache holds, decoded in lockstep.</summary>
    public long Batch { get; }

    /// <summary>Positions already decoded.</summary>
    public long Length { get; internal set; }

    internal LayerKvCache Layer(int index) => _layers[index];

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var layer in _layers)
        {
            layer.Dispose();
        }
    }
}
