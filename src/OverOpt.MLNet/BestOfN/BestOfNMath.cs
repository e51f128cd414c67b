namespace OverOpt.MLNet.BestOfN;

/// <summary>
/// The unbiased best-of-n estimator (Nakano et al. 2021, App. I) and best-of-n KL, for one prompt's N samples.
/// </summary>
public static class BestOfNMath
{
    /// <summary>The analytic KL of best-of-n from its base policy, ln n - (n-1)/n: an upper bound (Beirami et al. 2024).</summary>
    public static double AnalyticKl(int n) => Math.Log(n) - (n - 1.0) / n;

    /// <summary>
    /// Weights of the sorted samples: w_i = C(i-1, n-1) / C(N, n) for the i-th smallest of N (1-based), zero below n.
    /// Computed in log space (C(N, n) overflows doubles for N in the thousands); they sum to 1.
    /// </summary>
    public static double[] Weights(int sampleCount, int n)
    {
        if (n < 1 || n > sampleCount)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"best-of-n needs 1 <= n <= N = {sampleCount}.");
        }
        var logFactorial = LogFactorials(sampleCount);
        double logTotal = LogChoose(logFactorial, sampleCount, n);
        var weights = new double[sampleCount];
        for (int i = n; i <= sampleCount; i++)
        {
            weights[i - 1] = Math.Exp(LogChoose(logFactorial, i - 1, n - 1) - logTotal);
        }
        return weights;
    }

    /// <summary>
    /// Expected proxy and gold score of the best of n samples drawn without replacement from these N, where "best"
    /// is by proxy score and ties are broken uniformly at random: tied samples share their mean gold score.
    /// </summary>
    public static (double Proxy, double Gold) Expected(IReadOnlyList<float> proxy, IReadOnlyList<float> gold, int n)
        => Expected(Sorted(proxy, gold), n);

    /// <summary>As <see cref="Expected(IReadOnlyList{float}, IReadOnlyList{float}, int)"/> on samples already prepared by <see cref="Sorted"/>.</summary>
    public static (double Proxy, double Gold) Expected(SortedSamples samples, int n)
    {
        var weights = Weights(samples.Proxy.Length, n);
        double proxy = 0, gold = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            proxy += weights[i] * samples.Proxy[i];
            gold += weights[i] * samples.TieAveragedGold[i];
        }
        return (proxy, gold);
    }

    /// <summary>
    /// KL of best-of-n from the empirical distribution of these N samples. Samples with equal proxy scores (duplicate
    /// responses among them) form blocks of mass q_b; best-of-n lands in block b with probability
    /// F_b^n - F_(b-1)^n, so KL = sum_b D_b ln(D_b / q_b). Equals the analytic value as N grows with no duplicates,
    /// and is smaller where the policy repeats itself.
    /// </summary>
    public static double MeasuredKl(SortedSamples samples, int n)
    {
        int count = samples.Proxy.Length;
        double kl = 0, previous = 0;
        int start = 0;
        while (start < count)
        {
            int end = start;
            while (end + 1 < count && samples.Proxy[end + 1] == samples.Proxy[start])
            {
                end++;
            }
            double mass = (end - start + 1.0) / count;
            double cumulative = (end + 1.0) / count;
            double landing = Math.Pow(cumulative, n) - Math.Pow(previous, n);
            if (landing > 0)
            {
                kl += landing * Math.Log(landing / mass);
            }
            previous = cumulative;
            start = end + 1;
        }
        return Math.Max(0, kl);
    }

    /// <summary>Sorts by proxy score (ascending) and replaces each gold score by the mean over its tie block.</summary>
    public static SortedSamples Sorted(IReadOnlyList<float> proxy, IReadOnlyList<float> gold)
    {
        if (proxy.Count != gold.Count || proxy.Count == 0)
        {
            throw new ArgumentException($"{proxy.Count} proxy and {gold.Count} gold scores; they must be equal in number and not empty.", nameof(gold));
        }
        var order = Enumerable.Range(0, proxy.Count).OrderBy(i => proxy[i]).ThenBy(i => i).ToArray();
        var sortedProxy = order.Select(i => (double)proxy[i]).ToArray();
        var averaged = order.Select(i => (double)gold[i]).ToArray();
        int start = 0;
        while (start < averaged.Length)
        {
            int end = start;
            while (end + 1 < averaged.Length && sortedProxy[end + 1] == sortedProxy[start])
            {
                end++;
            }
            if (end > start)
            {
                double mean = averaged.Skip(start).Take(end - start + 1).Average();
                Array.Fill(averaged, mean, start, end - start + 1);
            }
            start = end + 1;
        }
        return new SortedSamples(sortedProxy, averaged);
    }

    /// <summary>n values from 1 to <paramref name="maxN"/> spaced evenly in d = sqrt(analytic KL), duplicates removed.</summary>
    public static int[] GridEvenInD(int maxN, int points)
    {
        double maxD = Math.Sqrt(AnalyticKl(maxN));
        var grid = new SortedSet<int> { 1, maxN };
        int n = 1;
        for (int k = 1; k < points; k++)
        {
            double target = Math.Pow(k * maxD / (points - 1), 2);
            while (n < maxN && AnalyticKl(n + 1) <= target)
            {
                n++;
            }
            int best = n < maxN && Math.Abs(AnalyticKl(n + 1) - target) < Math.Abs(AnalyticKl(n) - target) ? n + 1 : n;
            grid.Add(best);
        }
        return grid.ToArray();
    }

    private static double[] LogFactorials(int max)
    {
        var values = new double[max + 1];
        for (int k = 2; k <= max; k++)
        {
            values[k] = values[k - 1] + Math.Log(k);
        }
        return values;
    }

    private static double LogChoose(double[] logFactorial, int total, int chosen) => logFactorial[total] - logFactorial[chosen] - logFactorial[total - chosen];
}

/// <summary>One prompt's samples sorted by proxy score, with gold averaged over proxy ties.</summary>
public sealed record SortedSamples(double[] Proxy, double[] TieAveragedGold);
