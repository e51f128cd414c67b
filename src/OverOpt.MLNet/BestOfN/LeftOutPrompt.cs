namespace OverOpt.MLNet.BestOfN;

/// <summary>A prompt left out of a best-of-n evaluation because it has fewer samples than the largest n.</summary>
/// <param name="PromptId">The prompt's id as text.</param>
/// <param name="Samples">How many samples it has.</param>
public sealed record LeftOutPrompt(string PromptId, int Samples);
