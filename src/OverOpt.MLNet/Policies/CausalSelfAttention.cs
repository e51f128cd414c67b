using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Policies;

/// <summary>Multi-head causal self-attention with an optional key/value cache for incremental decoding.</summary>
internal sealed class CausalSelfAttention : nn.Module
{
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly int _heads;
    private readonly int _headDim;

    public CausalSelfAttention(string name, GptShape shape) : base(name)
    {
        _heads = shape.Heads;
        _headDim = shape.HeadDim;
        qkv = nn.Linear(shape.ModelDim, 3 * shape.ModelDim);
        proj = nn.Linear(shape.ModelDim, shape.ModelDim);
        RegisterComponents();
    }

    /// <param name="x">(batch, new positions, width).</param>
    /// <param name="cache">Null for a plain causal pass over <paramref name="x"/>.</param>
    /// <param name="start">Positions already in <paramref name="cache"/>.</param>
    public Tensor Forward(Tensor x, LayerKvCache? cache, long start)
    {
        long batch = x.shape[0], length = x.shape[1], width = x.shape[2];
        using var parts = qkv.forward(x).view(batch, length, 3, _heads, _headDim).permute(2, 0, 3, 1, 4);
        Tensor q = parts[0], k = parts[1], v = parts[2];
        if (cache is not null)
        {
            if (length > 1 && start > 0)
            {
                throw new NotSupportedException("The cache takes a multi-token prefill only when it is empty; decode one token at a time after it.");
            }
            (k, v) = cache.Append(k, v, start);
        }
        // A single new query attends to every cached position, so it needs no mask.
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: length > 1);
        return proj.forward(attended.transpose(1, 2).reshape(batch, length, width));
    }
}
