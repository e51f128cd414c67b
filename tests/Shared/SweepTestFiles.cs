using OverOpt.MLNet.Text;

namespace OverOpt.Testing;

/// <summary>
/// Tiny pipelines and sweep files in a folder of their own, shared by the sweep tests. A task fails on purpose by
/// reading <c>few.txt</c>, a corpus the loader accepts (the file exists) that is too short to hold out the prompts the
/// pipeline samples, so the task fails at run time after pretraining; <see cref="FixCorpus"/> removes the cause
/// without changing the task's configuration (its hash covers the path, not the content).
/// </summary>
internal sealed class SweepTestFiles : IDisposable
{
    /// <summary>Pretraining and sampling only (no gold): seconds a task.</summary>
    public static readonly string PolicyOnlyPipeline = TestPipelines.PolicyOnly;

    /// <summary>Gold, one transformer proxy and best-of-n (no PPO): curves, fits and reward models to merge.</summary>
    public static readonly string RewardPipeline = TestPipelines.RewardOnly;

    public SweepTestFiles(string prefix = "overopt-sweep-")
    {
        Folder = Directory.CreateTempSubdirectory(prefix).FullName;
        File.WriteAllLines(Path.Combine(Folder, "few.txt"), TextCorpus.Bundled().Stories.Take(12));
    }

    public string Folder { get; }

    public string Output => Path.Combine(Folder, "out");

    public string Cache => Path.Combine(Folder, "cache");

    /// <summary>Writes <c>tiny.json</c> and a sweep file over it; returns the sweep file's path.</summary>
    public string WriteSweep(string pipeline, string axes, string name = "sweep.json")
    {
        File.WriteAllText(Path.Combine(Folder, "tiny.json"), pipeline);
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, $$"""
            // a test sweep
            { "name": "tiny-sweep", "base": "tiny.json", "axes": {{axes}} }
            """);
        return path;
    }

    /// <summary>Replaces few.txt by the whole bundled corpus, so the tasks that read it succeed.</summary>
    public void FixCorpus() => File.WriteAllLines(Path.Combine(Folder, "few.txt"), TextCorpus.Bundled().Stories);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A daemon's file may still be open for a moment; the folder is in the temporary directory.
        }
    }
}
