using System.Diagnostics;
using OverOpt.MLNet.Artifacts;

namespace OverOpt.MLNet.Tests;

/// <summary>The lock around artifact builds: one builder at a time, across threads and processes, never stale.</summary>
[Trait(Speed.Category, Speed.Fast)]
public sealed class FileLockTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("overopt-lock-").FullName;

    [Fact]
    public void TwoThreadsThatNeedTheSameArtifactBuildItOnce()
    {
        var cache = new ArtifactCache(_folder);
        int builds = 0;
        var waited = new List<string>();
        using var otherWaits = new ManualResetEventSlim();
        cache.Waiting += line =>
        {
            lock (waited)
            {
                waited.Add(line);
            }
            otherWaits.Set();
        };
        using var start = new Barrier(2);
        TextArtifact Get() => cache.GetOrBuild("texts", "key-1", TextArtifact.Load, a => a.Key,
            () =>
            {
                Interlocked.Increment(ref builds);
                // The build lasts until the other thread finds it under way, however late a busy machine lets it come (a
                // fixed 1.5 s sleep assumed it came sooner); a cache that never makes it wait fails below.
                otherWaits.Wait(TimeSpan.FromSeconds(30));
                return new TextArtifact("key-1");
            },
            (a, path) => AtomicFile.WriteAllText(path, a.Key));

        var results = new TextArtifact[2];
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            results[i] = Get();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(1, builds);
        Assert.All(results, r => Assert.Equal("key-1", r.Key));
        Assert.Single(waited);
        Assert.Contains("waiting for another process", waited[0]);
        Assert.Empty(Directory.GetFiles(Path.Combine(_folder, "texts"), "*.tmp"));
    }

    [Fact]
    public void ALockHeldByAnotherProcessIsFreedWhenThatProcessIsKilled()
    {
        string path = Path.Combine(_folder, "artifact.zip.lock");
        // util-linux flock(1) takes the same flock(2) lock as .NET's share-none open.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", path, "sleep", "60"]) { UseShellExecute = false })!;
        var clock = Stopwatch.StartNew();
        while (!FileLock.IsHeld(path) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(50);
        }

        Assert.True(FileLock.IsHeld(path));
        Assert.Null(FileLock.TryAcquire(path));
        var timeout = Assert.Throws<TimeoutException>(() => FileLock.Acquire(path, TimeSpan.FromMilliseconds(300)));
        Assert.Contains($"fuser {path}", timeout.Message);

        holder.Kill(entireProcessTree: true);
        holder.WaitForExit();

        // The file stays behind, but its lock died with the process: no stale lock.
        Assert.True(File.Exists(path));
        using var acquired = FileLock.Acquire(path, TimeSpan.FromSeconds(5));
        Assert.True(FileLock.IsHeld(path));
    }

    [Fact]
    public void AReleasedLockCanBeTakenAgain()
    {
        string path = Path.Combine(_folder, "a.lock");
        using (var first = FileLock.TryAcquire(path))
        {
            Assert.NotNull(first);
            Assert.Null(FileLock.TryAcquire(path));
        }

        using var second = FileLock.TryAcquire(path);

        Assert.NotNull(second);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>An artifact whose file holds only its key.</summary>
    private sealed record TextArtifact(string Key) : IDisposable
    {
        public static TextArtifact Load(string path) => new(File.ReadAllText(path));

        public void Dispose()
        {
        }
    }
}
