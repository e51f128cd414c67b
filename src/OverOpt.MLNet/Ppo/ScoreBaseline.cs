namespace OverOpt.MLNet.Ppo;

/// <summary>pi_init's mean raw scores on the evaluation prompts: what a curve subtracts so that it starts at 0 (the paper's R(0) = 0).</summary>
public sealed record ScoreBaseline(double Proxy, double Gold, double Rule);
