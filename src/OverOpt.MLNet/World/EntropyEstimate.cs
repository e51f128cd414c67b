using OverOpt.MLNet.Curves;

namespace OverOpt.MLNet.World;

/// <summary>Nats per token of a set of stories (a ratio of sums) with its 95% interval.</summary>
/// <param name="NatsPerToken">Total nats over total scored tokens.</param>
/// <param name="Lower">Lower end of the 95% interval (delta method for a ratio of means).</param>
/// <param name="Upper">Upper end of the 95% interval.</param>
/// <param name="NatsPerStory">Mean nats per story.</param>
/// <param name="TokensPerStory">Mean scored tokens per story (the end token included).</param>
/// <param name="Stories">Stories measured.</param>
public sealed record EntropyEstimate(double NatsPerToken, double Lower, double Upper, double NatsPerStory, double TokensPerStory, int Stories)
{
    /// <summary>
    /// The estimate from per-story nats and scored tokens. Stories are the independent units, so the interval treats the
    /// ratio of their means: its variance is Var(nats - ratio * tokens) / (n * mean tokens^2).
    /// </summary>
    public static EntropyEstimate FromStories(IReadOnlyList<double> nats, IReadOnlyList<int> tokens)
    {
        if (nats.Count != tokens.Count || nats.Count < 2)
        {
            throw new ArgumentException("Need at least two stories, with nats and tokens for each.");
        }
        int n = nats.Count;
        double meanNats = nats.Average();
        double meanTokens = tokens.Average();
        double ratio = meanNats / meanTokens;
        double sumSquares = 0;
        for (int i = 0; i < n; i++)
        {
            double residual = nats[i] - ratio * tokens[i];
            sumSquares += residual * residual;
        }
        double standardError = Math.Sqrt(sumSquares / (n - 1) / n) / meanTokens;
        return new EntropyEstimate(ratio, ratio - Statistics.Normal975 * standardError, ratio + Statistics.Normal975 * standardError, meanNats, meanTokens, n);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{NatsPerToken:F4} nats/token (95% {Lower:F4} to {Upper:F4}; {NatsPerStory:F2} nats over {TokensPerStory:F2} tokens per story, {Stories} stories)";
}
