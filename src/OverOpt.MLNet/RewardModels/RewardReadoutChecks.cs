using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.RewardModels;

/// <summary>The checks every trainer with a <see cref="RewardReadout"/> option makes (proxies and gold alike).</summary>
internal static class RewardReadoutChecks
{
    /// <summary>A setting check: <paramref name="readout"/> is one of the enum's values.</summary>
    public static void RequireDefined(RewardReadout readout)
    {
        if (!Enum.IsDefined(readout))
        {
            throw new OverOptConfigurationException($"readout = {readout} is not a readout.", "readout", $"use one of {string.Join(", ", Enum.GetNames<RewardReadout>())}.");
        }
    }

    /// <summary>A check at fit time: the likelihood readout has the language model it reads.</summary>
    public static void RequireLanguageModel(RewardReadout readout, bool hasPretrainedInitialization)
    {
        if (readout != RewardReadout.MeanPool && !hasPretrainedInitialization)
        {
            throw new OverOptConfigurationException($"readout {readout} reads a pretrained language model's likelihood, but none was given.", "pretrainedInitialization",
                "give the language model the reward model starts from, or use RewardReadout.MeanPool.");
        }
    }
}
