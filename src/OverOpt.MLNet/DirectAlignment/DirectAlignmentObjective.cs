using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.DirectAlignment;

/// <summary>Each <see cref="DirectAlignmentLoss"/> and its derivative in the margin h, on tensors (training) and on numbers (checks).</summary>
public static class DirectAlignmentObjective
{
    /// <summary>The loss of each pair from its margin h (a tensor of margins, one per pair).</summary>
    public static Tensor Loss(Tensor margin, DirectAlignmentLoss loss, double beta) => loss switch
    {
        // softplus(-beta h) = -log sigmoid(beta h), without overflow for large margins. Scalars through TensorMath, so
        // none is left to the finalizer.
        DirectAlignmentLoss.Dpo => margin.Times(-beta).Softplus(),
        DirectAlignmentLoss.Ipo => margin.Minus(1 / (2 * beta)).Squared(),
        DirectAlignmentLoss.Slic => nn.functional.relu(margin.Times(-beta).Plus(1.0)),
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, null),
    };

    /// <summary>The loss of one pair with margin <paramref name="margin"/>.</summary>
    public static double Loss(double margin, DirectAlignmentLoss loss, double beta) => loss switch
    {
        DirectAlignmentLoss.Dpo => Math.Log(1 + Math.Exp(-beta * margin)),
        DirectAlignmentLoss.Ipo => (margin - 1 / (2 * beta)) * (margin - 1 / (2 * beta)),
        DirectAlignmentLoss.Slic => Math.Max(0, 1 - beta * margin),
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, null),
    };

    /// <summary>d loss / d h: negative where training raises the chosen response's log-ratio over the rejected one's.</summary>
    public static double Gradient(double margin, DirectAlignmentLoss loss, double beta) => loss switch
    {
        DirectAlignmentLoss.Dpo => -beta / (1 + Math.Exp(beta * margin)),
        DirectAlignmentLoss.Ipo => 2 * (margin - 1 / (2 * beta)),
        DirectAlignmentLoss.Slic => beta * margin < 1 ? -beta : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, null),
    };

    /// <summary>The name curves and files use: <c>dpo</c>, <c>ipo</c>, <c>slic</c>.</summary>
    public static string Label(this DirectAlignmentLoss loss) => loss.ToString().ToLowerInvariant();
}
