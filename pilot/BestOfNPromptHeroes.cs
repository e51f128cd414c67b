using OverOpt.Experiments.Files;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// How many of a task's best-of-n prompts have a hero of a sombre kind: only there can the sombre term make a proxy's
/// top picks wrong, so a world judged on few prompts inherits their draw. The prompts are rebuilt as the task built them
/// (the first <c>bestOfN.prompts</c> held-out prompts of its corpus, with pi_init's tokenizer from policies.csv).
/// </summary>
internal static class BestOfNPromptHeroes
{
    public static (int Sombre, int Prompts) Count(string task, PipelineDefinition pipeline, StoryTaste reader)
    {
        var policies = CsvDocument.Read(Path.Combine(task, OutputFiles.Policies));
        using var policy = Policy.Load(policies.Rows[0][policies.IndexOf("artifact")]);
        var spec = pipeline.World!;
        var prompts = PromptSplit.Create(policy.Tokenizer, spec.GeneratedCorpus(), pipeline.Sampling.PromptLength).HeldOut.Take(pipeline.BestOfN.Prompts).ToArray();
        int sombre = prompts.Count(prompt => prompt.Length > 1
            && reader.World.Find(policy.Tokenizer.TokenText(prompt[1])) is { } hero && reader.SombreKinds.Contains(hero.Kind));
        return (sombre, prompts.Length);
    }
}
