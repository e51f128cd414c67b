using OverOpt.Experiments.Files;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Text;

namespace WorldPilot;

/// <summary>
/// A finished task of a sweep, as the pilot's modes that read sweeps (<c>reads</c>, <c>cheer</c>) need it: its pipeline,
/// its world, its pi_init (from policies.csv) and the prompts it drew, rebuilt as the task built them.
/// </summary>
internal sealed record SweepTask(string Folder, PipelineDefinition Pipeline, WorldSpec World)
{
    /// <summary>The finished tasks (those with done.json) of a sweep's tasks folder, in the sweep's order.</summary>
    public static IEnumerable<SweepTask> Finished(string tasks)
        => Directory.GetDirectories(tasks).Where(d => File.Exists(Path.Combine(d, "done.json"))).Order(StringComparer.Ordinal).Select(Load);

    private static SweepTask Load(string folder)
    {
        var pipeline = PipelineLoader.Load(Path.Combine(folder, "pipeline.json"));
        return new SweepTask(folder, pipeline, pipeline.World ?? throw new InvalidDataException($"{folder}/pipeline.json has no world."));
    }

    /// <summary>The task's pi_init, the first policy of its policies.csv.</summary>
    public Policy LoadPiInit()
    {
        var policies = CsvDocument.Read(Path.Combine(Folder, OutputFiles.Policies));
        return Policy.Load(policies.Rows[0][policies.IndexOf("artifact")]);
    }

    /// <summary>The task's prompts split as the pipeline split them, in the tokens of <paramref name="piInit"/>.</summary>
    public PromptSplit Prompts(Policy piInit) => PromptSplit.Create(piInit.Tokenizer, World.GeneratedCorpus(), Pipeline.Sampling.PromptLength);
}
