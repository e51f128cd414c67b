using Microsoft.ML;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Ppo;

public sealed partial class PpoTrainer
{
    /// <summary>Options of <see cref="PpoTrainer"/>; the defaults follow lm-human-preferences and TRL, scaled to two cores.</summary>
    public sealed class Options
    {
        /// <summary>pi_init: kept frozen as the KL reference; training starts from a copy of it unless <see cref="StartPolicy"/> is set.</summary>
        public Policy? InitialPolicy;

        /// <summary>
        /// Where training starts (a copy of it is trained), when not pi_init itself: e.g. the policy of an earlier round
        /// of iterated RLHF, still penalized and measured against pi_init. Same tokenizer and shape as pi_init.
        /// </summary>
        public Policy? StartPolicy;

        /// <summary>What is optimized: a proxy reward model, an ensemble, or any scorer.</summary>
        public IRewardScorer? Reward;

        /// <summary>Evaluated at every evaluation, never trained on (null: the reward itself).</summary>
        public IRewardScorer? Gold;

        /// <summary>An exact scorer of the taste gold was trained to reproduce (the synthetic world's rule), reported beside gold; null: none.</summary>
        public IRewardScorer? Rule;

        /// <summary>Held-out prompts for evaluations (a <see cref="PromptColumnName"/> column); null: the training prompts.</summary>
        public IDataView? EvaluationData;

        /// <summary>The column of prompt token ids in the training and evaluation data.</summary>
        public string PromptColumnName = RewardModels.RewardColumnDefaults.Prompt;

        /// <summary>beta: PPO maximizes E[reward] - beta * KL(pi || pi_init) over whole responses; 0 is the paper's default.</summary>
        public double KlCoefficient;

        /// <summary>How the penalty's gradient is estimated (every KL estimate is logged either way); see <see cref="KlPenaltyEstimator"/>.</summary>
        public KlPenaltyEstimator PenaltyEstimator = KlPenaltyEstimator.Exact;

        /// <summary>Adaptive controller target KL (nats per response); null keeps beta fixed.</summary>
        public double? AdaptiveKlTarget;

        /// <summary>Adaptive controller horizon in samples (OpenAI: 10,000).</summary>
        public int AdaptiveKlHorizon = 10_000;

        /// <summary>Responses per optimizer step (rollout batch).</summary>
        public int BatchSize = Defaults.BatchSize;

        /// <summary>Passes of PPO updates over each rollout batch, each in <see cref="MiniBatches"/> shuffled minibatches.</summary>
        public int PpoEpochs = Defaults.PpoEpochs;

        /// <summary>Minibatches per PPO epoch.</summary>
        public int MiniBatches = Defaults.MiniBatches;

        /// <summary>epsilon of the clipped surrogate: the ratio pi / pi_old is clipped to [1 - epsilon, 1 + epsilon].</summary>
        public double ClipRange = Defaults.ClipRange;

        /// <summary>How far a value may move from the rollout's before its loss is clipped (the larger of the clipped and unclipped squared errors counts).</summary>
        public double ValueClipRange = 0.2;

        /// <summary>GAE's discount per response token; 1 (none) since the reward comes once, at the last token.</summary>
        public double Gamma = 1.0;

        /// <summary>GAE's lambda: lower trusts the value head more (less variance, more bias).</summary>
        public double Lambda = 0.95;

        /// <summary>Adam learning rate, constant unless <see cref="AnnealLearningRate"/> is set.</summary>
        public double LearningRate = Defaults.LearningRate;

        /// <summary>Anneal the learning rate by a cosine to a tenth over the run (off by default: KL then stalls before gold has fallen).</summary>
        public bool AnnealLearningRate;

        /// <summary>Weight of the value loss beside the clipped surrogate in the shared loss.</summary>
        public double ValueCoefficient = Defaults.ValueCoefficient;

        /// <summary>Global gradient-norm clip of each update (policy and value head together).</summary>
        public double GradientClip = 1.0;

        /// <summary>Sampling temperature, applied identically when log-probabilities are recomputed.</summary>
        public double Temperature = 1.0;

        /// <summary>Tokens per sampled response; prompt and response together must fit the policy's context.</summary>
        public int ResponseLength = 16;

        /// <summary>Seeds rollout sampling and minibatch order, and (offset by step) each evaluation's fresh samples; written to the curve rows.</summary>
        public int Seed = 1;

        /// <summary>Optimizer steps in all (a resumed run continues up to this).</summary>
        public int Steps = Defaults.Steps;

        /// <summary>Evaluations after step 0, spaced evenly in log(step) from step 1 to the last step (<see cref="EvaluationSchedule"/>).</summary>
        public int EvaluationPoints = Defaults.EvaluationPoints;

        /// <summary>
        /// Stops at the first step whose rollout's exact KL(pi || <see cref="InitialPolicy"/>) reaches this many nats per
        /// response, evaluating there (a KL budget, as iterated RLHF spends one per round); null runs every step.
        /// </summary>
        public double? TargetKl;

        /// <summary>Steps between checkpoints (every evaluation also writes one).</summary>
        public int CheckpointInterval = 25;

        /// <summary>Fresh responses per evaluation.</summary>
        public int EvaluationSamples = Defaults.EvaluationSamples;

        /// <summary>Where checkpoints go; null disables them. A run whose folder holds its checkpoint resumes from it.</summary>
        public string? CheckpointDirectory;

        /// <summary>Names the run in progress lines and checkpoints.</summary>
        public string Name = "ppo";

        /// <summary>Where training runs; null: pi_init's device.</summary>
        public Device? Device;

        /// <summary>Receives a line per optimizer step (mean score, exact KL, beta); null for none.</summary>
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
            ValidateSettings();
        }

        /// <summary>Checks every setting that needs neither a policy nor data; an error names the option's field.</summary>
        public void ValidateSettings()
        {
            foreach (var (value, field) in new[] { (BatchSize, "batchSize"), (PpoEpochs, "ppoEpochs"), (MiniBatches, "miniBatches"), (ResponseLength, "responseLength"), (Steps, "steps"), (EvaluationPoints, "evaluationPoints"), (CheckpointInterval, "checkpointInterval"), (EvaluationSamples, "evaluationSamples"), (AdaptiveKlHorizon, "adaptiveKlHorizon") })
            {
                Require.Positive(value, field);
            }
            if (TargetKl is { } target && (!(target > 0) || double.IsInfinity(target)))
            {
                throw new OverOptConfigurationException($"targetKl = {target}; it must be a positive number of nats.", "targetKl", "leave it out to run every step, or use e.g. 4.");
            }
            if (KlCoefficient < 0 || !double.IsFinite(KlCoefficient))
            {
                throw new OverOptConfigurationException($"klCoefficient = {KlCoefficient}; it must be 0 or more.", "klCoefficient", "use 0 (no penalty, the paper's default) or e.g. 0.05.");
            }
            if (!(LearningRate > 0) || !(Temperature > 0) || !(ClipRange > 0))
            {
                throw new OverOptConfigurationException("learningRate, temperature and clipRange must be positive.", !(LearningRate > 0) ? "learningRate" : !(Temperature > 0) ? "temperature" : "clipRange", "use the defaults (1e-5, 1, 0.2).");
            }
        }

        /// <summary>
        /// Everything that determines a run's numbers, serialized, so that a checkpoint written under other options is
        /// refused instead of resumed. Prompts enter by the hash of their tokens, scorers by their provenance.
        /// </summary>
        internal string Fingerprint(IReadOnlyList<int[]> trainPrompts, IReadOnlyList<int[]> evaluationPrompts)
            => System.Text.Json.JsonSerializer.Serialize(new
            {
                Name,
                InitialPolicy = InitialPolicy?.Description.Provenance,
                StartPolicy = StartPolicy?.Description.Provenance,
                Reward = Reward?.Provenance,
                Gold = Gold?.Provenance,
                Rule = Rule?.Provenance,
                TrainPrompts = PromptHash(trainPrompts),
                EvaluationPrompts = PromptHash(evaluationPrompts),
                KlCoefficient,
                PenaltyEstimator = PenaltyEstimator.ToString(),
                AdaptiveKlTarget,
                AdaptiveKlHorizon,
                BatchSize,
                PpoEpochs,
                MiniBatches,
                ClipRange,
                ValueClipRange,
                Gamma,
                Lambda,
                LearningRate,
                AnnealLearningRate,
                ValueCoefficient,
                GradientClip,
                Temperature,
                ResponseLength,
                Seed,
                Steps,
                EvaluationPoints,
                EvaluationSamples,
                // Numbers reproduce at a fixed thread count only: a checkpoint written at another is not this run.
                Threads = TorchSharp.torch.get_num_threads(),
            })
            // Appended only where set, so that checkpoints of runs without a KL budget keep their fingerprint.
            + (TargetKl is { } target ? FormattableString.Invariant($"|targetKl={target:R}") : "");

        private static string PromptHash(IReadOnlyList<int[]> prompts)
        {
            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            foreach (var prompt in prompts)
            {
                hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(prompt.AsSpan()));
                hash.AppendData([0xff, 0xff, 0xff, 0xff]);
            }
            return Convert.ToHexString(hash.GetHashAndReset());
        }
    }
}
