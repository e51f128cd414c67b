using OverOpt.MLNet.Ppo;

namespace OverOpt.Experiments.Outcomes;

/// <summary>One seed's PPO run of a configuration, its wall time, and responses of its final policy to held-out prompts.</summary>
internal sealed record PpoSeedRun(int Seed, PpoPolicyTransformer Result, double Seconds, IReadOnlyList<ScoredResponse> FinalSamples);
