namespace OverOpt.MLNet.Policies;

/// <summary>One line of a pretraining log. <see cref="ValidationLoss"/> is NaN where no evaluation ran.</summary>
public sealed record PretrainingLogRow(int Step, double LearningRate, double TrainLoss, double ValidationLoss);
