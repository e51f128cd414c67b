using OverOpt.MLNet.Curves;
namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// The world's own truth as a scorer: its rule (<see cref="IPreferenceRule"/>) computed exactly, standardized like every reward
/// model (pi_init's samples score mean 0, std 1), so that curves can show where the gold network departs from the
/// rule it was trained to reproduce.
/// </summary>
public sealed class RuleRewardScorer : IRewardScorer
{
    private readonly IPreferenceRule _rule;
    private readonly double _offset;
    private readonly double _scale;

    private RuleRewardScorer(IPreferenceRule rule, double offset, double scale)
    {
        _rule = rule;
        _offset = offset;
        _scale = scale;
    }

    /// <summary>The rule, standardized on <paramref name="responses"/> to <paramref name="prompts"/> (samples of pi_init).</summary>
    public static RuleRewardScorer Standardized(IPreferenceRule rule, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses)
    {
        var raw = Enumerable.Range(0, responses.Count).Select(i => rule.Score(prompts[i], responses[i])).ToArray();
        double mean = raw.Average();
        double std = Statistics.StandardDeviation(raw);
        return new RuleRewardScorer(rule, mean, std > 0 ? 1 / std : 1);
    }

    /// <inheritdoc/>
    public string Name => "rule";

    /// <inheritdoc/>
    public string Provenance => $"rule {_rule.Key}|{_offset:R}|{_scale:R}";

    /// <inheritdoc/>
    public float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses)
        => Enumerable.Range(0, responses.Count).Select(i => (float)((_rule.Score(prompts[i], responses[i]) - _offset) * _scale)).ToArray();
}
