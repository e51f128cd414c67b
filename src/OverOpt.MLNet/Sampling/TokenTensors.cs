using static TorchSharp.torch;

namespace OverOpt.MLNet.Sampling;

/// <summary>Token id rows to the (rows, length) int64 tensors every model here reads.</summary>
public static class TokenTensors
{
    /// <summary>Stacks rows of equal length; throws where they differ (responses and prompts have fixed lengths).</summary>
    public static Tensor Stack(IReadOnlyList<int[]> rows, Device device)
    {
        int length = rows[0].Length;
        var data = new long[rows.Count * length];
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].Length != length)
            {
                throw new ArgumentException($"Row {r} has {rows[r].Length} tokens, row 0 has {length}; rows of one batch must have one length.", nameof(rows));
            }
            for (int i = 0; i < length; i++)
            {
                data[r * length + i] = rows[r][i];
            }
        }
        using var cpu = tensor(data, [rows.Count, length], ScalarType.Int64);
        return cpu.to(device);
    }
}
