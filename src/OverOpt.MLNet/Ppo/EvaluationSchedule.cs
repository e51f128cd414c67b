namespace OverOpt.MLNet.Ppo;

/// <summary>
/// The steps at which a PPO run is evaluated: step 0 (pi_init), then points spaced evenly in log(step) from step 1
/// to the last step. Gold moves fastest near d = 0 (R_RL has an infinite slope there), so even spacing in steps
/// would leave the rise unresolved and crowd the tail.
/// </summary>
public static class EvaluationSchedule
{
    /// <param name="steps">The run's last step.</param>
    /// <param name="points">Evaluations after step 0 (fewer when the run is too short to space them apart).</param>
    public static int[] LogSpaced(int steps, int points)
    {
        Runtime.Require.Positive(steps, "steps");
        Runtime.Require.Positive(points, "evaluationPoints");
        var chosen = new SortedSet<int> { 0, steps };
        for (int k = 0; k < points; k++)
        {
            double fraction = points == 1 ? 1 : (double)k / (points - 1);
            chosen.Add((int)Math.Round(Math.Exp(fraction * Math.Log(steps))));
        }
        return chosen.ToArray();
    }
}
