using OverOpt.Experiments.Settings;

namespace OverOpt.Experiments.Sweeps.Definition;

/// <summary>
/// One point of a sweep's grid: the base pipeline with one value of every axis. Its <see cref="Index"/> is stable
/// (row-major over the axes in the file's order: the last axis varies fastest) and its <see cref="Hash"/> is the
/// SHA-256 of the canonical JSON of its whole configuration, so results on disk are found again only for the same
/// configuration.
/// </summary>
public sealed class SweepTask
{
    /// <summary>Characters of the hash kept in folder names.</summary>
    public const int ShortHashLength = 10;

    internal SweepTask(int index, IReadOnlyList<SweepOverride> overrides, PipelineDefinition pipeline, string configurationJson, string? part = null)
    {
        Index = index;
        Part = part;
        Overrides = overrides;
        Pipeline = pipeline;
        ConfigurationJson = configurationJson;
        Hash = CanonicalJson.Hash(configurationJson);
    }

    /// <summary>The position in the grid, from 0.</summary>
    public int Index { get; }

    /// <summary>Lower-case hexadecimal SHA-256 of <see cref="ConfigurationJson"/>.</summary>
    public string Hash { get; }

    /// <summary>The hash's first <see cref="ShortHashLength"/> characters.</summary>
    public string ShortHash => Hash[..ShortHashLength];

    /// <summary><c>&lt;index&gt;-&lt;short hash&gt;</c>: the task's name on disk.</summary>
    public string Id => $"{Index}-{ShortHash}";

    /// <summary>The axes' values for this task, in the file's order.</summary>
    public IReadOnlyList<SweepOverride> Overrides { get; }

    /// <summary>
    /// The validated pipeline (corpus path resolved). Shared by every caller: run it as it is, and copy it with
    /// <see cref="ClonePipeline"/> before changing anything.
    /// </summary>
    public PipelineDefinition Pipeline { get; }

    /// <summary>The canonical JSON of the whole configuration (every field, defaults included; the corpus path as written).</summary>
    public string ConfigurationJson { get; }

    /// <summary>In a sweep of sweeps, the name of the listed sweep the task comes from; null in a grid.</summary>
    public string? Part { get; }

    /// <summary>What this task varies: <c>seed=2, comparisons.count=500</c> (in a sweep of sweeps after its part: <c>rm-size: proxySeed=2</c>).</summary>
    public string Label => Part is null ? string.Join(", ", Overrides) : $"{Part}: {string.Join(", ", Overrides)}";

    /// <summary>A private copy of the pipeline to change.</summary>
    public PipelineDefinition ClonePipeline()
    {
        var copy = PipelineLoader.Parse(CanonicalJson.ToText(Pipeline), $"sweep task {Index}");
        copy.Corpus = Pipeline.Corpus;
        return copy;
    }

    public override string ToString() => $"task {Index} ({Label})";
}
