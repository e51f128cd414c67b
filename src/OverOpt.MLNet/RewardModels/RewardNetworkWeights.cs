using OverOpt.MLNet.Policies;
using static TorchSharp.torch;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// A <see cref="RewardNetwork"/> as one float vector: a header with its shape, then every parameter in registration
/// order. This is how the network travels inside an ML.NET model file: ML.NET's public API cannot save custom state
/// (its ModelSaveContext members are internal, dotnet/machinelearning #4911), but a ValueMapping table of float vectors
/// it saves and loads itself.
/// </summary>
internal static class RewardNetworkWeights
{
    private const float FormatVersion = 1;
    private const int HeaderLength = 6;

    public static float[] Pack(RewardNetwork network)
    {
        if (network.named_buffers().Any())
        {
            throw new InvalidOperationException("The reward network has buffers, which the weight vector does not carry.");
        }
        var shape = network.Shape;
        var packed = new List<float>(HeaderLength + (int)network.ParameterCount)
        {
            FormatVersion, shape.VocabularySize, shape.Context, shape.Layers, shape.ModelDim, shape.Heads,
        };
        foreach (var parameter in network.parameters())
        {
            using var scope = NewDisposeScope();
            packed.AddRange(parameter.detach().cpu().to_type(ScalarType.Float32).data<float>());
        }
        return [.. packed];
    }

    /// <summary>A network on the CPU with the packed shape and weights.</summary>
    /// <exception cref="InvalidDataException">The vector is not a packed network of this format.</exception>
    public static RewardNetwork Unpack(ReadOnlySpan<float> packed)
    {
        if (packed.Length < HeaderLength || packed[0] != FormatVersion)
        {
            throw new InvalidDataException("The reward network's weight vector has no header of this format. Fix: save the model again with this version of OverOpt.MLNet.");
        }
        var shape = new GptShape
        {
            VocabularySize = (int)packed[1], Context = (int)packed[2], Layers = (int)packed[3], ModelDim = (int)packed[4], Heads = (int)packed[5],
        };
        var network = new RewardNetwork(shape, seed: 0);
        if (packed.Length != HeaderLength + network.ParameterCount)
        {
            network.Dispose();
            throw new InvalidDataException($"The reward network's weight vector holds {packed.Length - HeaderLength} weights; a network of shape {shape} has {network.ParameterCount}.");
        }
        int offset = HeaderLength;
        using (no_grad())
        {
            foreach (var parameter in network.parameters())
            {
                int count = (int)parameter.numel();
                using var source = tensor(packed.Slice(offset, count).ToArray(), parameter.shape);
                parameter.copy_(source);
                offset += count;
            }
        }
        network.eval();
        return network;
    }
}
