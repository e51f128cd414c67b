using Microsoft.ML;
using Microsoft.ML.Runtime;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Trainers;

/// <summary>
/// What the reward trainers' checkpoints share (<see cref="GoldCheckpoint"/>, <see cref="RewardTrainingCheckpoint"/>): the
/// state a step loop saves, and restoring it the ML.NET way, a damaged checkpoint told as a warning on the context's log.
/// </summary>
internal static class TrainerCheckpoint
{
    /// <summary>The step reached and the running loss the progress lines show.</summary>
    public sealed record LoopState(int Step, double RunningLoss);

    /// <summary>
    /// The checkpoint at <paramref name="path"/> restored into the modules and optimizer, with a progress line of
    /// <paramref name="stage"/> saying so; null where there is none, or none readable (a warning from
    /// <paramref name="component"/> says so).
    /// </summary>
    public static LoopState? Restore(MLContext mlContext, string component, string path, string kind, string fingerprint,
        IReadOnlyList<nn.Module> modules, AdamOptimizer optimizer, IProgress<ProgressUpdate>? progress, string stage, int steps)
    {
        var state = TrainingCheckpoint.TryRestore<LoopState>(path, kind, fingerprint, modules, optimizer, discarded: message =>
        {
            using var channel = ((IHostEnvironment)mlContext).Start(component);
            channel.Warning(MessageSensitivity.Unknown, message);
        });
        if (state is not null)
        {
            progress?.Report(new ProgressUpdate(stage, state.Step, steps, $"resumed from {path}"));
        }
        return state;
    }
}
