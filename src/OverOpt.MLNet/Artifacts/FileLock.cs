using System.Diagnostics;

namespace OverOpt.MLNet.Artifacts;

/// <summary>
/// An exclusive lock between processes (and between threads of one process) held on a lock file. It is the
/// operating system's advisory lock on the open file (on Unix, .NET takes <c>flock(LOCK_EX)</c> for
/// <see cref="FileShare.None"/>; on Windows, a share-none open), not the file's existence, so a lock never goes
/// stale: when its holder exits or is killed the kernel releases it, and the leftover file is simply locked again by
/// the next process. The file is never deleted, because deleting a lock file while another process waits on it would
/// let two processes hold "the" lock on two different files.
/// </summary>
/// <remarks>
/// On a network file system the lock is as good as its lock service (NFS: Linux maps flock to NFS byte-range locks,
/// which need the lock daemon). Who holds a lock: <c>fuser FILE</c>.
/// </remarks>
public sealed class FileLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private FileStream? _stream;

    private FileLock(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock if no one holds it; null if another process or thread does.</summary>
    public static FileLock? TryAcquire(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        try
        {
            var stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
            return new FileLock(full, stream);
        }
        catch (IOException) when (File.Exists(full))
        {
            // A sharing violation: someone holds it. (Other I/O errors, such as a missing folder, are not swallowed.)
            return null;
        }
    }

    /// <summary>
    /// Waits for the lock, polling, for at most <paramref name="timeout"/>; <paramref name="waiting"/> is told once
    /// when the lock is found taken.
    /// </summary>
    /// <exception cref="TimeoutException">Another process held the lock for longer than the timeout.</exception>
    public static FileLock Acquire(string path, TimeSpan timeout, Action<string>? waiting = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        bool told = false;
        while (true)
        {
            if (TryAcquire(path) is { } acquired)
            {
                return acquired;
            }
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException(
                    $"{path} is still locked by another process after {timeout.TotalSeconds:F0} s (that process is building the same thing). " +
                    $"Fix: wait for it to finish, or find it with 'fuser {path}' and stop it if it hangs; a lock of a process that exited is released by the system.");
            }
            if (!told)
            {
                waiting?.Invoke($"waiting for another process that holds {path}");
                told = true;
            }
            cancellation.WaitHandle.WaitOne(PollInterval);
            cancellation.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Whether some process or thread holds the lock now (false when the file does not exist).</summary>
    public static bool IsHeld(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        using var probe = TryAcquire(path);
        return probe is null;
    }

    /// <summary>Releases the lock; the file stays (see the class remarks).</summary>
    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }
}
