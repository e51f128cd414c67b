namespace OverOpt.Experiments.Outcomes;

/// <summary>What one optimized policy of a pipeline produced: its best-of-n curves and its PPO configurations.</summary>
internal sealed record PolicyOutcome(string Policy, long Parameters, BestOfNOutcome? BestOfN, IReadOnlyList<PpoConfiguration> Ppo);
