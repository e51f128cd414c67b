using System.Globalization;
using System.Text;
using OverOpt.Experiments.Outcomes;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Trainers;

namespace OverOpt.Experiments.Reporting;

/// <summary>report.md: what was run, the reward models, the fits, the RL findings, the figures, and what each optimizer found.</summary>
internal static class ReportWriter
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Write(string path, PipelineDefinition pipeline, PipelineResult result, RewardModel? goldNetwork, IPreferenceRule rule, IReadOnlyList<PolicyOutcome> outcomes, WordTokenizer tokenizer)
    {
        var text = new StringBuilder();
        text.AppendLine(C, $"# Overoptimization report: pipeline `{pipeline.Name}` (seed {pipeline.Seed}{(pipeline.ProxySeed is { } proxySeed && proxySeed != pipeline.Seed ? $", proxy seed {proxySeed}" : "")})");
        text.AppendLine();
        text.AppendLine(C, $"Corpus {result.Corpus}; pi_init = policy `{pipeline.Policies[0].Name}` ({result.Policies[0].Shape}, {result.Policies[0].Parameters:N0} parameters).");
        text.AppendLine(C, $"Prompts: {result.TrainPrompts:N0} distinct prompts for gold, comparisons and PPO training, {result.HeldOutPrompts:N0} distinct held-out prompts for every evaluation (split by text, from {result.PromptSources:N0} story openings; none is on both sides).");
        text.AppendLine(C, $"Wall time {result.WallSeconds:F0} s ({string.Join(", ", result.StageSeconds.Select(kv => $"{kv.Key} {kv.Value:F0} s"))}). Every number below is in `curves.csv`, `fits.csv`, `reward_models.csv` and `summary.json` beside this file.");
        text.AppendLine();
        text.AppendLine("## Gold");
        text.AppendLine();
        if (goldNetwork is null)
        {
            text.AppendLine(C, $"The reader's taste itself (`gold.kind` `rule`), computed exactly: {rule.Summary} Standardized on {Pipelines.RewardModelStage.RuleGoldSamples:N0} responses of pi_init to training prompts (mean 0, std 1), then re-centred so that pi_init scores 0 on the evaluation prompts. `gold_score` and `rule_score` in `curves.csv` are the same function.");
            text.AppendLine();
        }
        else
        {
            AppendGoldNetwork(text, goldNetwork, rule);
        }
        text.AppendLine(C, $"Comparisons: {pipeline.Comparisons.Count} pairs of pi_init responses labelled by gold, {pipeline.Comparisons.LabelNoise * 100:F0}% of labels flipped, {(pipeline.Comparisons.ValidationCount is { } held ? $"{held} more held out (drawn apart, the same for every count)" : $"{pipeline.Comparisons.ValidationFraction * 100:F0}% held out")}.");
        text.AppendLine();
        foreach (var outcome in outcomes)
        {
            if (outcomes.Count > 1)
            {
                text.AppendLine(C, $"# Policy `{outcome.Policy}` ({outcome.Parameters:N0} parameters)");
                text.AppendLine();
            }
            if (outcome.BestOfN is not null)
            {
                BestOfNSection.Append(text, pipeline, outcome.BestOfN, rule, tokenizer);
            }
            if (outcome.Ppo.Count > 0)
            {
                PpoSection.Append(text, pipeline, outcome.Ppo, tokenizer);
            }
            if (outcome.DirectAlignment.Count > 0)
            {
                DirectAlignmentSection.Append(text, outcome.DirectAlignment);
            }
            if (outcome.IteratedRlhf.Count > 0)
            {
                IteratedRlhfSection.Append(text, outcome.IteratedRlhf, Path.GetDirectoryName(Path.GetFullPath(path))!);
            }
        }
        if (result.RlFindings.Count > 0)
        {
            text.AppendLine("## The paper's RL findings, on the seed means");
            text.AppendLine();
            text.AppendLine("| finding | holds | numbers |");
            text.AppendLine("| --- | --- | --- |");
            foreach (var finding in result.RlFindings)
            {
                text.AppendLine(C, $"| {finding.Statement} | {finding.VerdictText} | {finding.Numbers} |");
            }
            text.AppendLine();
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static void AppendGoldNetwork(StringBuilder text, RewardModel gold, IPreferenceRule rule)
    {
        text.AppendLine(C, $"A transformer reward model of {gold.Info.Parameters:N0} parameters trained to reproduce a reader's taste, {rule.Summary} Scores are re-centred so that pi_init scores 0 on the evaluation prompts. `rule_score` in `curves.csv` is the rule itself, computed exactly on the same samples and standardized like gold.");
        text.AppendLine();
        foreach (var (name, value) in gold.Info.Metrics)
        {
            // Counts (the pairs behind each term's agreement) as counts.
            text.AppendLine(C, $"- {name}: {(name.StartsWith(GoldRewardTrainer.TermPairsMetric, StringComparison.Ordinal) ? value.ToString("N0", C) : value.ToString("F3", C))}");
        }
        text.AppendLine();
    }
}
