namespace OverOpt.MLNet.Ppo;

public sealed partial class PpoTrainer
{
    /// <summary>The defaults of <see cref="Options"/> and of the pipelines' <c>ppo</c> section: one place for each.</summary>
    public static class Defaults
    {
        /// <summary>Optimizer steps (each a rollout batch and its PPO epochs).</summary>
        public const int Steps = 120;

        /// <summary>Responses per optimizer step.</summary>
        public const int BatchSize = 64;

        /// <summary>Passes over each rollout batch.</summary>
        public const int PpoEpochs = 4;

        /// <summary>Minibatches each pass splits the rollout batch into.</summary>
        public const int MiniBatches = 4;

        /// <summary>Adam's learning rate (constant unless annealed).</summary>
        public const double LearningRate = 1e-5;

        /// <summary>PPO's ratio clip.</summary>
        public const double ClipRange = 0.2;

        /// <summary>Weight of the value loss.</summary>
        public const double ValueCoefficient = 0.1;

        /// <summary>Evaluations after step 0, log-spaced from step 1 to the last step.</summary>
        public const int EvaluationPoints = 16;

        /// <summary>Held-out responses per evaluation.</summary>
        public const int EvaluationSamples = 256;
    }
}
