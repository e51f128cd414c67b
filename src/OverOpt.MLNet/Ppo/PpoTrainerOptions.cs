using Microsoft.ML;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Progress;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Ppo;

public sealed partial class PpoTrainer
{
    /// <summary>Options of <see cref="PpoTrainer"/>; the defaults follow lm-human-preferences and TRL, scaled to two cores.</summary>
    public sealed class Options
    {
        /// <summary>pi_init: trained from a copy, kept frozen as the KL reference.</summary>
        public Policy? InitialPolicy;

        /// <summary>What is optimized: a proxy reward model, an ensemble, or any scorer.</summary>
        public IRewardScorer? Reward;

        /// <summary>Evaluated at every evaluation, never trained on (null: the reward itself).</summary>
        public IRewardScorer? Gold;

        /// <summary>Held-out prompts for evaluations (a PromptTokens column); null: the training prompts.</summary>
        public IDataView? EvaluationData;

        /// <summary>Labels for curve rows: the reward's parameter count and training comparisons.</summary>
        public long RewardParameters;

        public int RewardComparisons;

        /// <summary>beta of the per-token penalty -beta * kl_t; 0 is the paper's default.</summary>
        public double KlCoefficient;

        /// <summary>Which KL estimate drives the penalty (all are logged).</summary>
        public KlPenaltyEstimator PenaltyEstimator = KlPenaltyEstimator.Exact;

        /// <summary>Adaptive controller target KL (nats per response); null keeps beta fixed.</summary>
        public double? AdaptiveKlTarget;

        /// <summary>Adaptive controller horizon in samples (OpenAI: 10,000).</summary>
        public int AdaptiveKlHorizon = 10_000;

        /// <summary>Responses per optimizer step (rollout batch).</summary>
        public int BatchSize = 64;

        public int PpoEpochs = 4;

        /// <summary>Minibatches per PPO epoch.</summary>
        public int MiniBatches = 4;

        public double ClipRange = 0.2;

        public double ValueClipRange = 0.2;

        public double Gamma = 1.0;

        public double Lambda = 0.95;

        public double LearningRate = 3e-4;

        /// <summary>Anneal the learning rate by a cosine to a tenth over the run.</summary>
        public bool AnnealLearningRate = true;

        public double ValueCoefficient = 0.1;

        public double GradientClip = 1.0;

        /// <summary>Sampling temperature, applied identically when log-probabilities are recomputed.</summary>
        public double Temperature = 1.0;

        public int ResponseLength = 16;

        public int Seed = 1;

        /// <summary>Optimizer steps in all (a resumed run continues up to this).</summary>
        public int Steps = 100;

        /// <summary>Steps between evaluations (and checkpoints).</summary>
        public int EvaluationInterval = 10;

        /// <summary>Fresh responses per evaluation.</summary>
        public int EvaluationSamples = 256;

        /// <summary>Where checkpoints go; null disables them. A run whose folder holds its checkpoint resumes from it.</summary>
        public string? CheckpointDirectory;

        /// <summary>Names the run in progress lines and checkpoints.</summary>
        public string Name = "ppo";

        public Device? Device;

        public IProgress<ProgressUpdate>? Progress;

        internal void Validate()
        {
            if (InitialPolicy is null)
            {
                throw new OverOptConfigurationException("no initial policy was given.", "initialPolicy", "pass pi_init (a pretrained Policy).");
            }
            if (Reward is null)
            {
                throw new OverOptConfigurationException("no reward was given.", "reward", "pass the reward model to optimize (e.g. a proxy RewardModel).");
            }
            foreach (var (value, field) in new[] { (BatchSize, "batchSize"), (PpoEpochs, "ppoEpochs"), (MiniBatches, "miniBatches"), (ResponseLength, "responseLength"), (Steps, "steps"), (EvaluationInterval, "evaluationInterval"), (EvaluationSamples, "evaluationSamples"), (AdaptiveKlHorizon, "adaptiveKlHorizon") })
            {
                Require.Positive(value, field);
            }
            if (KlCoefficient < 0 || !double.IsFinite(KlCoefficient))
            {
                throw new OverOptConfigurationException($"klCoefficient = {KlCoefficient}; it must be 0 or more.", "klCoefficient", "use 0 (no penalty, the paper's default) or e.g. 0.05.");
            }
            if (!(LearningRate > 0) || !(Temperature > 0) || !(ClipRange > 0))
            {
                throw new OverOptConfigurationException("learningRate, temperature and clipRange must be positive.", !(LearningRate > 0) ? "learningRate" : !(Temperature > 0) ? "temperature" : "clipRange", "use the defaults (3e-4, 1, 0.2).");
            }
        }

        /// <summary>What a checkpoint must share with the run that resumes from it.</summary>
        internal string Fingerprint()
            => $"{Name}|{Reward?.Name}|{KlCoefficient}|{PenaltyEstimator}|{AdaptiveKlTarget}|{BatchSize}|{PpoEpochs}|{MiniBatches}|{ClipRange}|{ValueClipRange}|{Gamma}|{Lambda}|{LearningRate}|{AnnealLearningRate}|{ValueCoefficient}|{Temperature}|{ResponseLength}|{Seed}|{Steps}|{EvaluationInterval}|{EvaluationSamples}|{InitialPolicy?.Description.Provenance}";
    }
}
