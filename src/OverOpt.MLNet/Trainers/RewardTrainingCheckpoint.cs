using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Torch;

namespace OverOpt.MLNet.Trainers;

/// <summary>
/// What identifies a transformer reward model's checkpoint (<see cref="TransformerRewardTrainer.Options.CheckpointDirectory"/>):
/// its file, its kind, and a fingerprint of everything the training's numbers depend on.
/// </summary>
internal static class RewardTrainingCheckpoint
{
    public const string Kind = "OverOpt.RewardModelTrainingCheckpoint";

    public static string PathIn(string directory) => Path.Combine(directory, "reward-model.checkpoint.zip");

    /// <summary>
    /// The comparisons in their order (so the gold that labelled them and the noise), the network's starting weights (so
    /// its shape, seed and pretrained backbone) and every option that changes a step. Not the name, the checkpoint
    /// interval or the device: they change no number.
    /// </summary>
    public static string Fingerprint(TransformerRewardTrainer.Options options, IReadOnlyList<ComparisonRow> rows, RewardNetwork network, int seed)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var row in rows)
        {
            // Each part with its length, so that two rows whose token ids run together differently hash apart.
            foreach (var tokens in new[] { row.PromptTokens, row.ChosenTokens, row.RejectedTokens })
            {
                hash.AppendData(BitConverter.GetBytes(tokens.Length));
                hash.AppendData(MemoryMarshal.AsBytes(tokens.AsSpan()));
            }
        }
        return JsonSerializer.Serialize(new
        {
            Data = Convert.ToHexString(hash.GetHashAndReset()),
            InitialWeights = TrainingCheckpoint.WeightsHash(network),
            options.Epochs,
            options.BatchSize,
            options.LearningRate,
            options.WeightDecay,
            options.GradientClip,
            Seed = seed,
            Readout = options.Readout.ToString(),
        });
    }
}
