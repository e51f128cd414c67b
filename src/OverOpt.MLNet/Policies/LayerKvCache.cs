using static TorchSharp.torch;

namespace OverOpt.MLNet.Policies;

/// <summary>Keys and values of one attention layer for every position decoded so far, preallocated to the context.</summary>
internal sealed class LayerKvCache : IDisposable
{
    public LayerKvCache(long batch, GptShape shape, Device device)
    {
        Keys = zeros([batch, shape.Heads, shape.Context, shape.HeadDim], device: device).DetachFromDisposeScope();
        Values = zeros([batch, shape.Heads, shape.Context, shape.HeadDim], device: device).DetachFromDisposeScope();
    }

    public Tensor Keys { get; }

    public Tensor Values { get; }

    /// <summary>Writes the new positions' keys and values at <paramref name="start"/> and returns views of everything up to them.</summary>
    public (Tensor Keys, Tensor Values) Append(Tensor keys, Tensor values, long start)
    {
        long length = keys.shape[2];
        Keys.narrow(2, start, length).copy_(keys);
        Values.narrow(2, start, length).copy_(values);
        return (Keys.narrow(2, 0, start + length), Values.narrow(2, 0, start + length));
    }

    public void Dispose()
    {
        Keys.Dispose();
        Values.Dispose();
    }
}
