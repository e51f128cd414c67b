namespace OverOpt.MLNet.Comparisons;

/// <summary>The four columns of preference rows that a reward trainer reads.</summary>
internal sealed record RewardColumns(string Prompt, string Response, string Label, string GroupId);
