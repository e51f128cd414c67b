namespace OverOpt.MLNet.DirectAlignment;

/// <summary>One optimizer step of direct alignment: the batch's mean loss, the share of pairs with a positive margin, and the mean margin h.</summary>
public sealed record DirectAlignmentStep(int Step, double Loss, double Accuracy, double Margin);
