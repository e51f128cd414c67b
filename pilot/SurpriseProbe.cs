namespace WorldPilot;

/// <summary>
/// A linear Bradley-Terry model on the difference of two responses' features, fitted by full-batch gradient descent on
/// the logistic loss with a small L2 penalty: margin = w . (x_chosen - x_rejected). With the features a response's
/// word counts (a bag of words, what any size can learn) and optionally its log-likelihood under a language model (that
/// model's surprise, which grows more informative with its size), it asks what a reward model that reads its language
/// model's surprise would reach on the same comparisons.
/// </summary>
internal sealed class SurpriseProbe
{
    private readonly double[] _weights;

    private SurpriseProbe(double[] weights) => _weights = weights;

    /// <param name="differences">Feature differences chosen minus rejected, one row per training comparison.</param>
    public static SurpriseProbe Fit(IReadOnlyList<double[]> differences, int iterations = 400, double learningRate = 0.5, double l2 = 1e-3)
    {
        int width = differences[0].Length;
        // Features are scaled to unit root-mean-square difference so that one learning rate suits all.
        var scale = Enumerable.Range(0, width).Select(j => Math.Sqrt(differences.Average(d => d[j] * d[j]))).Select(s => s > 0 ? 1 / s : 0).ToArray();
        var w = new double[width];
        var gradient = new double[width];
        for (int step = 0; step < iterations; step++)
        {
            Array.Clear(gradient);
            foreach (var d in differences)
            {
                double margin = 0;
                for (int j = 0; j < width; j++)
                {
                    margin += w[j] * d[j] * scale[j];
                }
                // d/dm softplus(-m) = -sigmoid(-m).
                double g = -1 / (1 + Math.Exp(margin));
                for (int j = 0; j < width; j++)
                {
                    gradient[j] += g * d[j] * scale[j];
                }
            }
            for (int j = 0; j < width; j++)
            {
                w[j] -= learningRate * (gradient[j] / differences.Count + l2 * w[j]);
            }
        }
        return new SurpriseProbe(w.Select((v, j) => v * scale[j]).ToArray());
    }

    /// <summary>The margin of a feature difference: positive where the first response is preferred.</summary>
    public double Margin(double[] difference) => difference.Select((d, j) => d * _weights[j]).Sum();

    /// <summary>Bag-of-words counts of <paramref name="response"/> over a vocabulary of <paramref name="size"/>, then <paramref name="extra"/>.</summary>
    public static double[] Features(int[] response, int size, params double[] extra)
    {
        var x = new double[size + extra.Length];
        foreach (int id in response)
        {
            x[id]++;
        }
        extra.CopyTo(x, size);
        return x;
    }

    public static double[] Difference(double[] a, double[] b) => a.Select((v, j) => v - b[j]).ToArray();
}
