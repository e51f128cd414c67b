using Microsoft.ML;
using OverOpt.MLNet.BestOfN;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Trainers;

/// <summary>
/// Trains k transformer reward models of one recipe on the same preference rows, member i with seed
/// <see cref="Options.FirstSeed"/> + i (its initial weights and data order), and returns them as one
/// <see cref="EnsembleRewardModel"/> scoring their mean, worst case or uncertainty-weighted mean (Coste et al. 2024).
/// </summary>
public sealed class EnsembleRewardTrainer : IEstimator<RewardModel>
{
    private readonly MLContext _ml;
    private readonly Options _options;

    /// <summary>Use <c>mlContext.RewardModels().Trainers.Ensemble</c>.</summary>
    public EnsembleRewardTrainer(MLContext mlContext, Options options)
    {
        options.Validate();
        _ml = mlContext;
        _options = options;
    }

    /// <summary>The defaults of <see cref="Options"/> and of the pipelines' ensemble proxies.</summary>
    public static class Defaults
    {
        /// <summary>Members.</summary>
        public const int Members = 3;

        /// <summary>lambda of the uncertainty-weighted objective: Coste et al.'s for best-of-n.</summary>
        public const double UncertaintyPenalty = 0.5;
    }

    /// <summary>Options of <see cref="EnsembleRewardTrainer"/>.</summary>
    public sealed class Options
    {
        /// <summary>The ensemble's name in curves and reports.</summary>
        public string Name = "ensemble";

        /// <summary>Every member's recipe; its <see cref="TransformerRewardTrainer.Options.Seed"/> and name are set per member.</summary>
        public TransformerRewardTrainer.Options? Member;

        /// <summary>Members (at least 2).</summary>
        public int Members = Defaults.Members;

        /// <summary>The first member's seed; member i is trained with FirstSeed + i.</summary>
        public int FirstSeed = 1;

        /// <summary>What the ensemble scores.</summary>
        public BestOfNObjective Objective = BestOfNObjective.Mean;

        /// <summary>lambda of <see cref="BestOfNObjective.UncertaintyWeighted"/>.</summary>
        public double UncertaintyPenalty = Defaults.UncertaintyPenalty;

        internal void Validate()
        {
            if (Member is null)
            {
                throw new OverOptConfigurationException("no member recipe was given.", "member", "pass the transformer reward trainer's options every member is trained with.");
            }
            Member.Validate();
            ValidateSettings();
        }

        /// <summary>Checks the ensemble's own settings; an error names the option's field.</summary>
        public void ValidateSettings()
        {
            if (Members < 2)
            {
                throw new OverOptConfigurationException($"members is {Members}.", "members", "use at least 2 members (Coste et al. use 5).");
            }
            if (Objective == BestOfNObjective.Single || !Enum.IsDefined(Objective))
            {
                throw new OverOptConfigurationException($"objective is {Objective}.", "objective", "use Mean, WorstCase or UncertaintyWeighted.");
            }
            if (!(UncertaintyPenalty >= 0) || double.IsInfinity(UncertaintyPenalty))
            {
                throw new OverOptConfigurationException($"uncertaintyPenalty is {UncertaintyPenalty}.", "uncertaintyPenalty", "use a finite number >= 0 (0.5 is Coste et al.'s for best-of-n).");
            }
        }
    }

    /// <summary>Trains the members on the preference rows of <paramref name="input"/>.</summary>
    public RewardModel Fit(IDataView input) => Fit(input, validationData: null);

    /// <summary>As <see cref="Fit(IDataView)"/>; every member's and the ensemble's validation loss are measured on <paramref name="validationData"/>.</summary>
    public RewardModel Fit(IDataView trainData, IDataView? validationData)
    {
        var members = new List<RewardModel>();
        try
        {
            for (int i = 0; i < _options.Members; i++)
            {
                var member = _options.Member!.WithSeed(_options.FirstSeed + i, $"{_options.Name}-{i + 1}");
                members.Add(new TransformerRewardTrainer(_ml, member).Fit(trainData, validationData));
            }
        }
        catch
        {
            members.ForEach(m => m.Dispose());
            throw;
        }
        var ensemble = EnsembleRewardModel.Create(_ml, _options.Name, members, _options.Objective, _options.UncertaintyPenalty, ownsMembers: true);
        return validationData is null ? ensemble : RewardModelValidation.Validated(_ml, validationData, _options.Member!.Columns, _options.Name, ensemble);
    }

    /// <summary>The input's columns plus the float <c>Score</c>; checks the preference columns first.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        PreferenceData.RequireColumns(inputSchema, _options.Member!.Columns, $"training ensemble '{_options.Name}'");
        return RewardSchemas.WithScore(_ml, inputSchema);
    }
}
