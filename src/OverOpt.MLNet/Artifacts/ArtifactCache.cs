using System.Security.Cryptography;
using System.Text;

namespace OverOpt.MLNet.Artifacts;

/// <summary>
/// Built artifacts (pretrained policies, later gold and proxy reward models) kept by the content of what made them:
/// the file name is the SHA-256 of a canonical description. A file that fails to load, or whose recorded
/// description differs from the key (a hash collision or a hand-copied file), is rebuilt, never used.
/// </summary>
public sealed class ArtifactCache
{
    public ArtifactCache(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>Raised with a line of text when a cached file is rejected and rebuilt.</summary>
    public event Action<string>? Rejected;

    /// <summary>Raised with the path when a cached artifact is loaded instead of built.</summary>
    public event Action<string>? Reused;

    /// <summary>Raised with the path when an artifact was built and saved.</summary>
    public event Action<string>? Built;

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
        where T : IDisposable
    {
        string path = PathFor(kind, key);
        if (File.Exists(path))
        {
            try
            {
                var cached = load(path);
                if (keyOf(cached) == key)
                {
                    Reused?.Invoke(path);
                    return cached;
                }
                cached.Dispose();
                Rejected?.Invoke($"{path}: built from another configuration; rebuilding.");
            }
            catch (InvalidDataException e)
            {
                Rejected?.Invoke($"{path}: unusable ({e.Message}); rebuilding.");
            }
            File.Delete(path);
        }
        var built = build();
        save(built, path);
        Built?.Invoke(path);
        return built;
    }
}
