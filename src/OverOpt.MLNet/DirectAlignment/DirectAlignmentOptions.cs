using Microsoft.ML;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.DirectAlignment;

public sealed partial class DirectAlignmentTrainer
{
    /// <summary>The defaults of <see cref="Options"/> and of the pipelines' <c>directAlignment</c> section.</summary>
    public static class Defaults
    {
        /// <summary>beta: the strength of the implicit KL constraint.</summary>
        public const double Beta = 0.1;

        /// <summary>Passes over the preference rows.</summary>
        public const int Epochs = 2;

        /// <summary>Pairs per optimizer step.</summary>
        public const int BatchSize = 32;

        /// <summary>Adam's learning rate.</summary>
        public const double LearningRate = 1e-4;

        /// <summary>Evaluations after step 0, log-spaced in steps.</summary>
        public const int EvaluationPoints = 12;

        /// <summary>Samples per evaluation.</summary>
        public const int EvaluationSamples = 256;
    }

    /// <summary>Options of <see cref="DirectAlignmentTrainer"/>.</summary>
    public sealed class Options
    {
        /// <summary>The run's name in curves (the curve's proxy): by default the loss's, e.g. "dpo".</summary>
        public string Name = "dpo";

        /// <summary>Which loss.</summary>
        public DirectAlignmentLoss Loss = DirectAlignmentLoss.Dpo;

        /// <summary>beta (the curve's KL coefficient).</summary>
        public double Beta = Defaults.Beta;

        /// <summary>pi_init: the starting policy and the frozen reference.</summary>
        public Policy? InitialPolicy;

        /// <summary>Gold, scored on the evaluation samples.</summary>
        public IRewardScorer? Gold;

        /// <summary>The world's rule, scored beside gold where given.</summary>
        public IRewardScorer? Rule;

        /// <summary>Prompt rows (a <see cref="PromptColumnName"/> column of int[]) the evaluations sample from: held-out prompts.</summary>
        public IDataView? EvaluationData;

        /// <summary>Passes over the preference rows.</summary>
        public int Epochs = Defaults.Epochs;

        /// <summary>Pairs per optimizer step.</summary>
        public int BatchSize = Defaults.BatchSize;

        /// <summary>Adam's learning rate.</summary>
        public double LearningRate = Defaults.LearningRate;

        /// <summary>Gradient norm clip.</summary>
        public double GradientClip = 1.0;

        /// <summary>Evaluations after step 0.</summary>
        public int EvaluationPoints = Defaults.EvaluationPoints;

        /// <summary>Samples per evaluation.</summary>
        public int EvaluationSamples = Defaults.EvaluationSamples;

        /// <summary>Seeds the order of pairs and the evaluation samples.</summary>
        public int Seed = 1;

        /// <summary>The prompt column of the preference and evaluation rows.</summary>
        public string PromptColumnName = RewardColumnDefaults.Prompt;

        /// <summary>The response column of the preference rows.</summary>
        public string ResponseColumnName = RewardColumnDefaults.Response;

        /// <summary>1 for the chosen response of a pair, 0 for the rejected.</summary>
        public string LabelColumnName = RewardColumnDefaults.Label;

        /// <summary>The pair each row belongs to.</summary>
        public string RowGroupColumnName = RewardColumnDefaults.GroupId;

        /// <summary>Receives the loss and the pairwise accuracy every step.</summary>
        public IProgress<ProgressUpdate>? Progress;

        internal RewardColumns Columns => new(PromptColumnName, ResponseColumnName, LabelColumnName, RowGroupColumnName);

        internal void Validate()
        {
            if (InitialPolicy is null)
            {
                throw new OverOptConfigurationException("no initial policy was given.", "initialPolicy", "pass pi_init: it is the start and the reference.");
            }
            if (Gold is null)
            {
                throw new OverOptConfigurationException("no gold was given.", "gold", "pass the gold the evaluations score with.");
            }
            if (EvaluationData is null)
            {
                throw new OverOptConfigurationException("no evaluation prompts were given.", "evaluationData", "pass held-out prompt rows to sample from at every evaluation.");
            }
            ValidateSettings();
        }

        /// <summary>Checks every setting that needs no data; an error names the option's field.</summary>
        public void ValidateSettings()
        {
            if (!(Beta > 0) || double.IsInfinity(Beta))
            {
                throw new OverOptConfigurationException($"beta is {Beta}.", "beta", "use a positive number such as 0.1.");
            }
            if (!Enum.IsDefined(Loss))
            {
                throw new OverOptConfigurationException($"loss is {Loss}.", "loss", "use Dpo, Ipo or Slic.");
            }
            Require.Positive(Epochs, "epochs");
            Require.Positive(BatchSize, "batchSize");
            Require.Positive(EvaluationPoints, "evaluationPoints");
            Require.Positive(EvaluationSamples, "evaluationSamples");
            if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            {
                throw new OverOptConfigurationException($"learningRate is {LearningRate}.", "learningRate", "use a positive number such as 1e-4.");
            }
        }
    }
}
