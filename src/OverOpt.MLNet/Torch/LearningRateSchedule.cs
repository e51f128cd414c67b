namespace OverOpt.MLNet.Torch;

/// <summary>Linear warm-up to the peak, then a cosine down to a tenth of it: the schedule every trainer here uses.</summary>
public static class LearningRateSchedule
{
    /// <summary>The learning rate at 1-based <paramref name="step"/> of <paramref name="steps"/>: linear from 0 to <paramref name="peak"/> over <paramref name="warmupSteps"/>, then a cosine down to peak / 10 at the last step.</summary>
    public static double At(int step, int steps, int warmupSteps, double peak)
    {
        if (step <= warmupSteps)
        {
            return peak * step / Math.Max(1, warmupSteps);
        }
        double progress = Math.Min(1.0, (double)(step - warmupSteps) / Math.Max(1, steps - warmupSteps));
        double floor = 0.1 * peak;
        return floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
