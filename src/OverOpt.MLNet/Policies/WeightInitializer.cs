using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Policies;

/// <summary>
/// GPT-2's initialization drawn from a private generator (torch's global RNG is never reseeded): normal(0, 0.02)
/// weights, residual projections scaled by 1/sqrt(2 layers), zero biases, unit layer-norm gains.
/// </summary>
internal static class WeightInitializer
{
    public static void Initialize(nn.Module module, int layers, long seed, IReadOnlyDictionary<string, double>? overrides = null)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        double residualStd = 0.02 / Math.Sqrt(2.0 * layers);
        foreach (var (name, parameter) in module.named_parameters())
        {
            using var scope = NewDisposeScope();
            bool isNorm = name.StartsWith("ln", StringComparison.Ordinal) || name.Contains(".ln", StringComparison.Ordinal);
            if (overrides is not null && overrides.TryGetValue(name, out double std))
            {
                // Overridden parameters still draw from the generator, so the others do not depend on the override.
                parameter.copy_(randn(parameter.shape, generator: generator).Times(std));
            }
            else if (name.EndsWith(".bias", StringComparison.Ordinal) || isNorm)
            {
                parameter.FillWith(isNorm && name.EndsWith(".weight", StringComparison.Ordinal) ? 1.0 : 0.0);
            }
            else
            {
                double scale = name.EndsWith("proj.weight", StringComparison.OrdinalIgnoreCase) ? residualStd : 0.02;
                parameter.copy_(randn(parameter.shape, generator: generator).Times(scale));
            }
        }
    }
}
