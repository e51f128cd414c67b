using OverOpt.MLNet.Policies;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Ppo;

/// <summary>
/// The policy being trained with a value head on its own final hidden states. A head on the policy, not a separate
/// value network: on two CPU cores a second transformer would double the cost of every rollout and update, and the
/// shared trunk is what TRL and lm-human-preferences' small runs do. The head starts at zero, so the first values
/// are 0 and the first advantages are the rewards themselves.
/// </summary>
public sealed class ActorCritic : nn.Module
{
    private readonly GptModel policy;
    private readonly Linear valueHead;

    /// <summary>Adds a zero-initialized value head to <paramref name="policy"/>, which is trained in place and not owned.</summary>
    public ActorCritic(GptModel policy) : base("actor_critic")
    {
        this.policy = policy;
        valueHead = nn.Linear(policy.Shape.ModelDim, 1);
        RegisterComponents();
        using var noGrad = no_grad();
        valueHead.weight!.zero_();
        valueHead.bias!.zero_();
    }

    /// <summary>The policy network being trained, shared with the caller and not disposed here.</summary>
    public GptModel Policy => policy;

    /// <summary>Frees the value head only: the policy outlives the trainer (it is the trained policy returned to the caller).</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            valueHead.Dispose();
        }
    }

    /// <summary>Values (batch, length) of a causal pass, without the projection onto the vocabulary that <see cref="Forward"/> adds.</summary>
    public Tensor Values(Tensor sequences)
    {
        using var hidden = policy.Hidden(sequences);
        return valueHead.forward(hidden).squeeze(-1);
    }

    /// <summary>Logits (batch, length, vocabulary) and values (batch, length) of a causal pass.</summary>
    public (Tensor Logits, Tensor Values) Forward(Tensor sequences)
    {
        using var hidden = policy.Hidden(sequences);
        return (policy.Logits(hidden), valueHead.forward(hidden).squeeze(-1));
    }
}
