using System.Security.Cryptography;
using System.Text;

namespace OverOpt.MLNet.Artifacts;

/// <summary>
/// Built artifacts (pretrained policies, later gold and proxy reward models) kept by the content of what made them:
/// the file name is the SHA-256 of a canonical description. A file that fails to load, or whose recorded
/// description differs from the key (a hash collision or a hand-copied file), is rebuilt, never used.
/// Processes that share a cache (a sweep's workers, a Slurm array) build each artifact once: the build holds a
/// <see cref="FileLock"/> beside the artifact, and whoever waited for it loads what was built.
/// </summary>
public sealed class ArtifactCache
{
    /// <summary>A cache kept under <paramref name="root"/>, resolved to a full path against the current directory; its folders are created when first needed.</summary>
    public ArtifactCache(string root)
    {
        Root = Path.GetFullPath(root);
    }

    /// <summary>The cache's folder as a full path; each kind of artifact has a subfolder in it.</summary>
    public string Root { get; }

    /// <summary>Raised with a line of text when a cached file is rejected and rebuilt.</summary>
    public event Action<string>? Rejected;

    /// <summary>Raised with the path when a cached artifact is loaded instead of built.</summary>
    public event Action<string>? Reused;

    /// <summary>Raised with the path when an artifact was built and saved.</summary>
    public event Action<string>? Built;

    /// <summary>Raised with a line of text when another process (or thread) is building the same artifact and this one waits.</summary>
    public event Action<string>? Waiting;

    /// <summary>
    /// How long to wait for another process that builds the same artifact before giving up with a
    /// <see cref="TimeoutException"/>. A crashed builder never makes anyone wait: its lock dies with it.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The file that holds the artifact of <paramref name="key"/>: <c>Root/kind/</c>, the first 24 hex digits of the key's SHA-256, then <c>.zip</c>.</summary>
    public string PathFor(string kind, string key)
        => Path.Combine(Root, kind, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant()[..24] + ".zip");

    /// <summary>Loads the artifact of <paramref name="key"/> or builds, saves and returns it.</summary>
    /// <param name="kind">A folder per kind of artifact.</param>
    /// <param name="key">Canonical description of everything the artifact depends on.</param>
    /// <param name="load">Loads a file; throws <see cref="InvalidDataException"/> when it is corrupt.</param>
    /// <param name="keyOf">The key recorded inside a loaded artifact.</param>
    /// <param name="build">Builds the artifact anew.</param>
    /// <param name="save">Saves it (atomically) to a path.</param>
    public T GetOrBuild<T>(string kind, string key, Func<string, T> load, Func<T, string> keyOf, Func<T> build, Action<T, string> save)
        where T : class, IDisposable
    {
        string path = PathFor(kind, key);
        // Artifacts are renamed into place whole, so a file that exists can be loaded without the lock.
        if (TryLoad(path, key, load, keyOf, reject: false) is { } ready)
        {
            return ready;
        }
        using var buildLock = FileLock.Acquire(path + ".lock", LockTimeout, Waiting);
        // Whoever held the lock before us may have built it meanwhile.
        if (TryLoad(path, key, load, keyOf, reject: true) is { } builtMeanwhile)
        {
            return builtMeanwhile;
        }
        var built = build();
        save(built, path);
        Built?.Invoke(path);
        return built;
    }

    /// <summary>
    /// The cached artifact if it exists, loads and was built from <paramref name="key"/>; otherwise null, and with
    /// <paramref name="reject"/> (only under the lock) the unusable file is reported and deleted.
    /// </summary>
    private T? TryLoad<T>(string path, string key, Func<string, T> load, Func<T, string> keyOf, bool reject)
        where T : class, IDisposable
    {
        if (!File.Exists(path))
        {
            return null;
        }
        string problem;
        try
        {
            var cached = load(path);
            if (keyOf(cached) == key)
            {
                Reused?.Invoke(path);
                return cached;
            }
            cached.Dispose();
            problem = $"{path}: built from another configuration; rebuilding.";
        }
        catch (InvalidDataException e)
        {
            problem = $"{path}: unusable ({e.Message}); rebuilding.";
        }
        catch (IOException) when (!reject)
        {
            // Without the lock, an unusable file may be deleted by its rebuilder while we read it: look again under the lock.
            return null;
        }
        if (reject)
        {
            Rejected?.Invoke(problem);
            File.Delete(path);
        }
        return null;
    }
}
