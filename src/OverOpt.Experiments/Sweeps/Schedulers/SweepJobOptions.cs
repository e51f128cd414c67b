namespace OverOpt.Experiments.Sweeps.Schedulers;

/// <summary>
/// What a scheduler's job needs to run the sweep's commands: how to call <c>overopt</c> there and which sweep file,
/// output folder and cache to use (paths as that machine sees them).
/// </summary>
public sealed class SweepJobOptions
{
    /// <summary>The command that runs overopt, one word per item (e.g. <c>["dotnet", "/opt/overopt/overopt.dll"]</c>).</summary>
    public required IReadOnlyList<string> Overopt { get; set; }

    /// <summary>The sweep file as the job sees it.</summary>
    public required string SweepFile { get; set; }

    /// <summary>The sweep's output folder as the job sees it.</summary>
    public required string OutputDirectory { get; set; }

    /// <summary>The shared artifact cache as the job sees it.</summary>
    public required string CacheDirectory { get; set; }

    /// <summary>CPUs (and libtorch threads) of each job.</summary>
    public int CpusPerTask { get; set; } = 1;

    /// <summary>Tasks running at once (Slurm's <c>%K</c>, Kubernetes' parallelism).</summary>
    public int Throttle { get; set; } = 8;

    /// <summary>
    /// One sweep command for a job: <c>overopt sweep VERB FILE --output O --cache C</c>, with <c>--threads</c> for the
    /// verbs that compute (task, prepare).
    /// </summary>
    public IReadOnlyList<string> Command(string verb)
    {
        List<string> words = [.. Overopt, "sweep", verb, SweepFile, "--output", OutputDirectory, "--cache", CacheDirectory];
        if (verb is "task" or "prepare")
        {
            words.AddRange(["--threads", CpusPerTask.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        return words;
    }
}
