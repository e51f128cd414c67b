using OverOpt.MLNet.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Policies;

/// <summary>A pre-norm transformer block: attention and a GELU MLP, each around a residual connection. No dropout.</summary>
internal sealed class TransformerBlock : nn.Module
{
    private readonly LayerNorm ln1;
    private readonly CausalSelfAttention attn;
    private readonly LayerNorm ln2;
    private readonly Linear fc;
    private readonly Linear fcProj;

    public TransformerBlock(string name, GptShape shape) : base(name)
    {
        ln1 = nn.LayerNorm(shape.ModelDim);
        attn = new CausalSelfAttention("attn", shape);
        ln2 = nn.LayerNorm(shape.ModelDim);
        fc = nn.Linear(shape.ModelDim, 4 * shape.ModelDim);
        fcProj = nn.Linear(4 * shape.ModelDim, shape.ModelDim);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, LayerKvCache? cache, long start)
    {
        x = x.Plus(attn.Forward(ln1.forward(x), cache, start));
        return x.Plus(fcProj.forward(nn.functional.gelu(fc.forward(ln2.forward(x)))));
    }
}
