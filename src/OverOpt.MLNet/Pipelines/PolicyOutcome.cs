using OverOpt.MLNet.RewardModels;

namespace OverOpt.MLNet.Pipelines;

/// <summary>What one optimized policy of a pipeline produced: its proxies, its best-of-n curves and its PPO configurations.</summary>
internal sealed record PolicyOutcome(string Policy, long Parameters, IReadOnlyList<RewardModel> Proxies, BestOfNOutcome? BestOfN, IReadOnlyList<PpoConfiguration> Ppo);
