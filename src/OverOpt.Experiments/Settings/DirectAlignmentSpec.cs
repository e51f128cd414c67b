using OverOpt.MLNet.DirectAlignment;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Experiments.Settings;

/// <summary>
/// Direct alignment runs of a pipeline (Rafailov et al. 2024): pi_init fitted to the proxies' training comparisons by each
/// loss at each beta on each seed, with no reward model, evaluated along training as PPO is.
/// </summary>
public sealed class DirectAlignmentSpec
{
    /// <summary><c>dpo</c>, <c>ipo</c>, <c>slic</c>.</summary>
    public List<string> Losses { get; set; } = ["dpo"];

    /// <summary>beta of each run.</summary>
    public List<double> Betas { get; set; } = [DirectAlignmentTrainer.Defaults.Beta];

    /// <summary>Seeds (order of pairs, evaluation samples); curves are averaged over them with seed-level intervals.</summary>
    public List<int> Seeds { get; set; } = [1, 2, 3];

    public int Epochs { get; set; } = DirectAlignmentTrainer.Defaults.Epochs;

    public int BatchSize { get; set; } = DirectAlignmentTrainer.Defaults.BatchSize;

    public double LearningRate { get; set; } = DirectAlignmentTrainer.Defaults.LearningRate;

    /// <summary>Evaluations after step 0, log-spaced in optimizer steps.</summary>
    public int EvaluationPoints { get; set; } = DirectAlignmentTrainer.Defaults.EvaluationPoints;

    public int EvaluationSamples { get; set; } = DirectAlignmentTrainer.Defaults.EvaluationSamples;

    /// <summary>The library's options for one run (the policy, gold and data are the pipeline's to set).</summary>
    public DirectAlignmentTrainer.Options Options(string loss, double beta, int seed) => new()
    {
        Name = loss,
        Loss = ParseLoss(loss),
        Beta = beta,
        Seed = seed,
        Epochs = Epochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        EvaluationPoints = EvaluationPoints,
        EvaluationSamples = EvaluationSamples,
    };

    /// <summary>Checks every setting at load; an error names the field under <c>directAlignment</c>.</summary>
    public void Validate()
    {
        foreach (var (count, field) in new[] { (Losses.Count, "losses"), (Betas.Count, "betas"), (Seeds.Count, "seeds") })
        {
            if (count == 0)
            {
                throw new OverOptConfigurationException($"{field} is empty.", field, $"list at least one, or leave the directAlignment section out.");
            }
        }
        if (Seeds.Distinct().Count() != Seeds.Count || Losses.Distinct().Count() != Losses.Count || Betas.Distinct().Count() != Betas.Count)
        {
            throw new OverOptConfigurationException("losses, betas or seeds lists a value twice.", "seeds", "list each loss, beta and seed once.");
        }
        for (int i = 0; i < Losses.Count; i++)
        {
            try
            {
                ParseLoss(Losses[i]);
            }
            catch (OverOptConfigurationException e)
            {
                throw new OverOptConfigurationException(e.Problem, $"losses[{i}]", e.Fix);
            }
        }
        for (int i = 0; i < Betas.Count; i++)
        {
            try
            {
                Options(Losses[0], Betas[i], Seeds[0]).ValidateSettings();
            }
            catch (OverOptConfigurationException e) when (e.Field == "beta")
            {
                throw new OverOptConfigurationException(e.Problem, $"betas[{i}]", e.Fix);
            }
        }
    }

    private static DirectAlignmentLoss ParseLoss(string name) => name switch
    {
        "dpo" => DirectAlignmentLoss.Dpo,
        "ipo" => DirectAlignmentLoss.Ipo,
        "slic" => DirectAlignmentLoss.Slic,
        _ => throw new OverOptConfigurationException($"unknown loss '{name}'.", "losses", "use \"dpo\", \"ipo\" or \"slic\"."),
    };
}
