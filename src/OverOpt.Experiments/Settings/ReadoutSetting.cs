using System.Text.Json;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Experiments.Settings;

/// <summary>A reward model's <c>readout</c> as pipeline files write it: a <see cref="RewardReadout"/> name in camel case, or left out.</summary>
internal static class ReadoutSetting
{
    /// <summary>The readout <paramref name="text"/> names; null: <see cref="RewardReadout.MeanPool"/>.</summary>
    /// <param name="text">The field's value.</param>
    /// <param name="pretrained">Whether the reward model starts from a language model, which the likelihood readout reads.</param>
    public static RewardReadout Parse(string? text, bool pretrained)
    {
        var readout = text is null ? RewardReadout.MeanPool
            : Enum.GetValues<RewardReadout>().Cast<RewardReadout?>().FirstOrDefault(r => string.Equals(Name(r!.Value), text, StringComparison.OrdinalIgnoreCase))
              ?? throw new OverOptConfigurationException($"readout '{text}' is not a readout.", "readout",
                  $"use {string.Join(" or ", Enum.GetValues<RewardReadout>().Select(r => $"\"{Name(r)}\""))}, or leave it out.");
        if (!pretrained && readout != RewardReadout.MeanPool)
        {
            throw new OverOptConfigurationException($"readout {Name(readout)} reads a pretrained language model's likelihood, but pretrained is false.", "readout",
                "set pretrained to true, or leave readout out.");
        }
        return readout;
    }

    private static string Name(RewardReadout readout) => JsonNamingPolicy.CamelCase.ConvertName(readout.ToString());
}
