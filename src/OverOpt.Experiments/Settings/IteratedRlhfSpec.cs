using OverOpt.MLNet.Runtime;

namespace OverOpt.Experiments.Settings;

/// <summary>
/// Iterated RLHF (the paper's sec. 4.3): for each number of rounds k, k rounds of new comparisons of the current policy's
/// samples labelled by gold, a proxy of <see cref="Proxy"/>'s recipe trained on every comparison so far, and PPO from the
/// current policy (its KL reference) until KL(pi || round start) reaches <see cref="TotalKl"/> / k^2, so that the rounds'
/// distances d = sqrt(KL) add up to sqrt(TotalKl) for every k. The PPO settings are the pipeline's <c>ppo</c> section's.
/// </summary>
public sealed class IteratedRlhfSpec
{
    /// <summary>The transformer proxy (by name) whose recipe each round's proxy is trained with.</summary>
    public string? Proxy { get; set; }

    /// <summary>Numbers of rounds, one run each (1 is the single round the others are set against).</summary>
    public List<int> Rounds { get; set; } = [1, 2, 4];

    /// <summary>The KL the rounds spend in all, in nats: round KL TotalKl / k^2, total distance sqrt(TotalKl).</summary>
    public double TotalKl { get; set; } = 16;

    /// <summary>New comparisons each round.</summary>
    public int ComparisonsPerRound { get; set; } = 2000;

    /// <summary>Seeds (comparisons, proxy, PPO); the gain over one round is measured seed by seed.</summary>
    public List<int> Seeds { get; set; } = [1, 2, 3];

    /// <summary>PPO steps a round may take at most before its KL budget is spent.</summary>
    public int MaxStepsPerRound { get; set; } = 300;

    /// <summary>Checks every setting at load; an error names the field under <c>iteratedRlhf</c>.</summary>
    public void Validate()
    {
        if (Proxy is null)
        {
            throw new OverOptConfigurationException("no proxy recipe was named.", "proxy", "name a transformer proxy of this pipeline, e.g. \"tf-1x4\".");
        }
        if (Rounds.Count == 0 || Rounds.Any(k => k < 1) || !Rounds.Contains(1) || Rounds.Distinct().Count() != Rounds.Count)
        {
            throw new OverOptConfigurationException($"rounds is [{string.Join(", ", Rounds)}].", "rounds", "list distinct numbers of rounds >= 1, including 1 (the single round the others are set against), e.g. [1, 2, 4].");
        }
        if (!(TotalKl > 0) || double.IsInfinity(TotalKl))
        {
            throw new OverOptConfigurationException($"totalKl is {TotalKl}.", "totalKl", "use a positive number of nats, e.g. 16.");
        }
        Require.Positive(ComparisonsPerRound, "comparisonsPerRound");
        Require.Positive(MaxStepsPerRound, "maxStepsPerRound");
        if (Seeds.Count == 0 || Seeds.Distinct().Count() != Seeds.Count)
        {
            throw new OverOptConfigurationException("seeds is empty or lists a seed twice.", "seeds", "list each seed once, e.g. [1, 2, 3].");
        }
    }
}
