using System.Security.Cryptography;
using System.Text.Json;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Torch;

namespace OverOpt.MLNet.Trainers;

/// <summary>
/// What identifies a gold regression's checkpoint (<see cref="GoldRewardTrainer.Options.CheckpointDirectory"/>): its file,
/// its kind, and a fingerprint of everything the training's numbers depend on.
/// </summary>
internal static class GoldCheckpoint
{
    public const string Kind = "OverOpt.GoldTrainingCheckpoint";

    public static string PathIn(string directory) => Path.Combine(directory, "gold.checkpoint.zip");

    /// <summary>
    /// The training rows and their standardized targets (so pi_init, the sampling, the edits and the rule), the network's
    /// starting weights (so its shape, seed and pretrained backbone, whatever its provenance says) and every option that
    /// changes a step. Not the checkpoint interval or the device: they change no number.
    /// </summary>
    public static string Fingerprint(GoldRewardTrainer.Options options, IReadOnlyList<(int[] Prompt, int[] Response, bool Edited)> data,
        double[] targets, RewardNetwork network)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int i = 0; i < data.Count; i++)
        {
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data[i].Prompt.AsSpan()));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data[i].Response.AsSpan()));
            hash.AppendData(BitConverter.GetBytes(data[i].Edited));
            hash.AppendData(BitConverter.GetBytes(targets[i]));
        }
        return JsonSerializer.Serialize(new
        {
            Data = Convert.ToHexString(hash.GetHashAndReset()),
            InitialWeights = TrainingCheckpoint.WeightsHash(network),
            options.Steps,
            options.BatchSize,
            options.LearningRate,
            options.Seed,
            options.TermLossWeight,
            options.TermLossTerms,
            options.PairLossWeight,
            options.BalancedError,
            Readout = options.Readout.ToString(),
        })
            // Named only where set, so that a checkpoint written before the option existed still resumes.
            + (options.BalancedExchanges ? " balancedExchanges" : "")
            + (options.RareTermShare > 0 ? $" rareTermShare{options.RareTermShare.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}" : "");
    }
}
