namespace OverOpt.MLNet.Runtime;

/// <summary>
/// Every random stream derived from a seed, in one named table, so that two purposes never share a stream by
/// accident and a reader sees which stream a number came from. The offsets are those the published numbers were
/// made with: changing one changes results and cache keys.
/// </summary>
public static class SeedStreams
{
    /// <summary>Gold's training data: the shuffle of pi_init's samples and their edited copies.</summary>
    public static int GoldDataShuffle(int seed) => seed + 1;

    /// <summary>Gold's training: the order of its minibatches.</summary>
    public static int GoldBatchOrder(int seed) => seed + 2;

    /// <summary>Gold's training with a pair loss: the pairs of pi_init's samples drawn at each step.</summary>
    public static int GoldPairOrder(int seed) => seed + 31_337;

    /// <summary>The comparisons a pipeline labels: pi_init's responses, their pairing and the label noise.</summary>
    public static int Comparisons(int pipelineSeed) => pipelineSeed + 1;

    /// <summary>Held-out comparisons drawn apart from the trained-on ones (a pipeline's <c>comparisons.validationCount</c>).</summary>
    public static int ValidationComparisons(int pipelineSeed) => pipelineSeed + 80_021;

    /// <summary>pi_init's responses on which a gold that is the world's rule is standardized.</summary>
    public static ulong RuleGoldStandardization(int pipelineSeed) => (ulong)(pipelineSeed + 60_013);

    /// <summary>Best-of-n's N samples per held-out prompt.</summary>
    public static ulong BestOfNSamples(int pipelineSeed) => (ulong)(pipelineSeed + 2);

    /// <summary>A PPO evaluation's held-out responses at <paramref name="step"/>: fresh at every step, the same for every run of a seed.</summary>
    public static ulong PpoEvaluation(int ppoSeed, int step) => (ulong)(ppoSeed * 1_000_003L + step);

    /// <summary>The responses of a trained policy shown in the report.</summary>
    public static ulong PpoReportSamples(int ppoSeed) => (ulong)(ppoSeed + 7919);

    /// <summary>Responses a trained PPO policy samples when its transformer is applied to prompt rows.</summary>
    public static int PpoPolicySamples(int ppoSeed) => ppoSeed + 104_729;

    /// <summary>Iterated RLHF's comparisons of round <paramref name="round"/> of a run of <paramref name="rounds"/> rounds on <paramref name="seed"/>.</summary>
    public static int IteratedComparisons(int seed, int rounds, int round) => 700_001 + seed * 10_007 + rounds * 101 + round;

    /// <summary>Iterated RLHF's last measurement of a run: its policy and pi_init sampled on held-out prompts.</summary>
    public static ulong IteratedMeasurement(int seed, int rounds) => (ulong)(900_001 + seed * 10_007 + rounds);
}
