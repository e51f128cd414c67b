using OverOpt.MLNet.Policies;
using static TorchSharp.torch;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// A <see cref="RewardNetwork"/> as one float vector: a header with its shape and readout, then every parameter in
/// registration order. This is how the network travels inside an ML.NET model file: ML.NET's public API cannot save custom state
/// (its ModelSaveContext members are internal, dotnet/machinelearning #4911), but a ValueMapping table of float vectors
/// it saves and loads itself.
/// </summary>
internal static class RewardNetworkWeights
{
    // Version 1 has no readout (mean pooling, the only one before readouts; still written for it, so that those models'
    // files stay as they were); version 2 adds the readout, one float longer.
    private const float PooledVersion = 1;
    private const float FormatVersion = 2;
    private const int HeaderLength = 7;

    public static float[] Pack(RewardNetwork network)
    {
        if (network.named_buffers().Any())
        {
            throw new InvalidOperationException("The reward network has buffers, which the weight vector does not carry.");
        }
        var shape = network.Shape;
        bool pooled = network.Readout == RewardReadout.MeanPool;
        var packed = new List<float>(HeaderLength + (int)network.ParameterCount)
        {
            pooled ? PooledVersion : FormatVersion, shape.VocabularySize, shape.Context, shape.Layers, shape.ModelDim, shape.Heads,
        };
        if (!pooled)
        {
            packed.Add((float)network.Readout);
        }
        foreach (var parameter in network.parameters())
        {
            using var scope = NewDisposeScope();
            // ToArray copies the block at once; the accessor as an IEnumerable would be read an element at a time.
            packed.AddRange(parameter.detach().cpu().to_type(ScalarType.Float32).data<float>().ToArray());
        }
        return [.. packed];
    }

    /// <summary>A network on the CPU with the packed shape and weights.</summary>
    /// <exception cref="InvalidDataException">The vector is not a packed network of this format.</exception>
    public static RewardNetwork Unpack(ReadOnlySpan<float> packed)
    {
        int headerLength = packed.Length > 0 && packed[0] == PooledVersion ? HeaderLength - 1 : HeaderLength;
        if (packed.Length < headerLength || (packed[0] != FormatVersion && packed[0] != PooledVersion))
        {
            throw new InvalidDataException("The reward network's weight vector has no header of this format. Fix: save the model again with this version of OverOpt.MLNet.");
        }
        var shape = new GptShape
        {
            VocabularySize = (int)packed[1], Context = (int)packed[2], Layers = (int)packed[3], ModelDim = (int)packed[4], Heads = (int)packed[5],
        };
        var readout = headerLength == HeaderLength ? (RewardReadout)(int)packed[6] : RewardReadout.MeanPool;
        if (!Enum.IsDefined(readout))
        {
            throw new InvalidDataException($"The reward network's weight vector names readout {(int)readout}, which this version of OverOpt.MLNet does not know.");
        }
        var network = new RewardNetwork(shape, seed: 0, readout);
        if (packed.Length != headerLength + network.ParameterCount)
        {
            network.Dispose();
            throw new InvalidDataException($"The reward network's weight vector holds {packed.Length - headerLength} weights; a network of shape {shape} reading {readout} has {network.ParameterCount}.");
        }
        int offset = headerLength;
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
