using OverOpt.MLNet.RewardModels;

namespace OverOpt.MLNet.Comparisons;

/// <summary>Pairwise accuracy and Bradley-Terry loss of reward margins r(chosen) - r(rejected) on labelled comparisons.</summary>
public static class PairwiseMetrics
{
    /// <summary>The metrics of raw scores of the chosen and the rejected responses, comparison by comparison.</summary>
    public static RewardModelMetrics Compute(IReadOnlyList<float> chosen, IReadOnlyList<float> rejected)
    {
        if (chosen.Count != rejected.Count)
        {
            throw new ArgumentException($"{chosen.Count} chosen but {rejected.Count} rejected scores.", nameof(rejected));
        }
        return FromMargins(chosen.Select((c, i) => (double)c - rejected[i]).ToArray());
    }

    /// <summary>
    /// Accuracy (ties count half), the loss at the loss-minimizing temperature t (the paper rescales logits this way
    /// before comparing validation losses, which makes differently scaled models comparable) and the unscaled loss.
    /// </summary>
    public static RewardModelMetrics FromMargins(IReadOnlyList<double> margins)
    {
        if (margins.Count == 0)
        {
            throw new ArgumentException("No comparisons to evaluate.", nameof(margins));
        }
        double temperature = BestTemperature(margins);
        return new RewardModelMetrics
        {
            Comparisons = margins.Count,
            PairwiseAccuracy = margins.Average(m => m > 0 ? 1.0 : m == 0 ? 0.5 : 0.0),
            BradleyTerryLoss = Loss(margins, temperature),
            UnscaledBradleyTerryLoss = Loss(margins, 1),
            Temperature = temperature,
        };
    }

    /// <summary>Mean -log sigmoid(t * m) (ln 2 = 0.693 at chance), computed without overflow.</summary>
    public static double Loss(IReadOnlyList<double> margins, double temperature)
        => margins.Average(m => Softplus(-temperature * m));

    /// <summary>
    /// The t >= 0 that minimizes the (convex) loss. Golden-section search on [0, 1e3]: where every comparison is ordered
    /// right the loss falls toward 0 without a minimum, and the cap stands for "as sharp as you like".
    /// </summary>
    private static double BestTemperature(IReadOnlyList<double> margins)
    {
        double low = 0, high = 1e3, ratio = (Math.Sqrt(5) - 1) / 2;
        double a = high - ratio * (high - low), b = low + ratio * (high - low);
        double fa = Loss(margins, a), fb = Loss(margins, b);
        for (int i = 0; i < 200 && high - low > 1e-9 * (1 + high); i++)
        {
            if (fa <= fb)
            {
                (high, b, fb) = (b, a, fa);
                a = high - ratio * (high - low);
                fa = Loss(margins, a);
            }
            else
            {
                (low, a, fa) = (a, b, fb);
                b = low + ratio * (high - low);
                fb = Loss(margins, b);
            }
        }
        return (low + high) / 2;
    }

    private static double Softplus(double x) => x > 0 ? x + double.LogP1(Math.Exp(-x)) : double.LogP1(Math.Exp(x));
}
