using static TorchSharp.torch;

namespace OverOpt.MLNet.Policies;

/// <summary>
/// The key/value cache of a whole <see cref="GptModel"/> for one batch of sequences. It owns its tensors
/// (outside any dispose scope) and frees them when disposed.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly LayerKvCache[] _layers;

    public KvCache(GptShape shape, long batch, Device device)
    {
        Shape = shape;
        Batch = batch;
        _layers = Enumerable.Range(0, shape.Layers).Select(_ => new LayerKvCache(batch, shape, device)).ToArray();
    }

    public GptShape Shape { get; }

    public long Batch { get; }

    /// <summary>Positions already decoded.</summary>
    public long Length { get; internal set; }

    internal LayerKvCache Layer(int index) => _layers[index];

    public void Dispose()
    {
        foreach (var layer in _layers)
        {
            layer.Dispose();
        }
    }
}
