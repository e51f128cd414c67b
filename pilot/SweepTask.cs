using System.Text.RegularExpressions;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Settings;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.World;

namespace WorldPilot;

/// <summary>
/// A finished task of a sweep, as the pilot's modes that read sweeps (<c>reads</c>, <c>cheer</c>, <c>surprise</c>) need it: its pipeline,
/// its world, its pi_init (from policies.csv) and the prompts it drew, rebuilt as the task built them.
/// </summary>
internal sealed partial record SweepTask(string Folder, PipelineDefinition Pipeline, WorldSpec World)
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
    public Policy LoadPiInit() => Policy.Load(PiInitFile());

    /// <summary>The file of the task's pi_init, the first artifact of its policies.csv: tasks that name one file share one pi_init.</summary>
    public string PiInitFile()
    {
        var policies = CsvDocument.Read(Path.Combine(Folder, OutputFiles.Policies));
        return policies.Rows[0][policies.IndexOf("artifact")];
    }

    /// <summary>The task's prompts split as the pipeline split them, in the tokens of <paramref name="piInit"/>.</summary>
    public PromptSplit Prompts(Policy piInit) => PromptSplit.Create(piInit.Tokenizer, World.GeneratedCorpus(), Pipeline.Sampling.PromptLength);

    /// <summary>The task's reader, which must hold sombre kinds (storyworld-2, or world.sombreShare set).</summary>
    public StoryTaste SombreReader() => SombreReaderIfAny()
        ?? throw new InvalidDataException($"{Folder}/pipeline.json: neither world.sombreShare is set nor is the world {StoryWorld.TemperamentVersion}, so no pair is decided by sombre cheer.");

    /// <summary>The task's reader where it minds cheer in sombre stories (storyworld-2, or world.sombreShare set); null otherwise, tinytales included.</summary>
    public StoryTaste? SombreReaderIfAny() => ReaderIfAny() is { SombreStoryKinds.Count: > 0 } reader ? reader : null;

    /// <summary>The task's storyworld reader; null on tinytales.</summary>
    public StoryTaste? ReaderIfAny() => World.Version == WorldCorpora.TinyTales ? null
        : new StoryTaste(StoryWorld.Create(World.Version, World.EffectiveSeed), new StoryTasteOptions { WordTaste = World.WordTaste ?? 0, SombreShare = World.SombreShare ?? 0 });

    /// <summary>The proxy models the task trained or reused, from the cache paths its log names, in order.</summary>
    public IReadOnlyList<string> ProxyFiles()
    {
        var files = File.ReadLines(Path.Combine(Folder, "task.log"))
            .Select(line => ProxyPath().Match(line))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return files.Length > 0 ? files
            : throw new InvalidDataException($"{Folder}/task.log names no proxy cache file (a line 'saved|reusing .../proxies/<key>.zip'): run the task again to write it.");
    }

    /// <summary>The gold network the task trained or reused, from the cache path its log names last; null where it names none (a rule gold).</summary>
    public string? GoldFile()
        => File.ReadLines(Path.Combine(Folder, "task.log")).Select(l => GoldPath().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).LastOrDefault();

    [GeneratedRegex(@"(?:saved|reusing) (\S+/gold/[0-9a-f]+\.zip)$")]
    private static partial Regex GoldPath();

    [GeneratedRegex(@"(?:saved|reusing) (\S+/proxies/[0-9a-f]+\.zip)$")]
    private static partial Regex ProxyPath();
}
