namespace OverOpt.MLNet.Comparisons;

/// <summary>Bradley-Terry loss and accuracy of raw reward scores on labelled comparisons.</summary>
public static class PairwiseMetrics
{
    /// <returns>Mean -log sigmoid(chosen - rejected) (ln 2 = 0.693 at chance), and the share ordered as labelled (ties count half).</returns>
    public static (double Loss, double Accuracy) Compute(IReadOnlyList<float> chosen, IReadOnlyList<float> rejected)
    {
        double loss = 0, correct = 0;
        for (int i = 0; i < chosen.Count; i++)
        {
            double margin = chosen[i] - (double)rejected[i];
            loss += margin > 0 ? double.LogP1(Math.Exp(-margin)) : -margin + double.LogP1(Math.Exp(margin));
            correct += margin > 0 ? 1 : margin == 0 ? 0.5 : 0;
        }
        return (loss / chosen.Count, correct / chosen.Count);
    }
}
