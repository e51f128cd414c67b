using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// The check that an output folder can be written, as two workers of a sweep run it at once on a folder that does
/// not exist yet: each check removes what it created, so one can remove the folder under the other.
/// </summary>
[Trait(Speed.Category, Speed.Fast)]
public sealed class WritableFolderCheckTests : IDisposable
{
    private readonly string _parent = Directory.CreateTempSubdirectory("overopt-writable-").FullName;

    [Fact]
    public void ChecksThatRaceOnAMissingFolderAllPassAndLeaveNoFileBehind()
    {
        const int Checkers = 4;
        for (int round = 0; round < 200; round++)
        {
            string folder = Path.Combine(_parent, $"round-{round}", "output");
            using var start = new Barrier(Checkers);
            var failures = new List<Exception>();
            var threads = Enumerable.Range(0, Checkers).Select(_ => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    FileSystemProblem.RequireWritableFolder(folder, "--output");
                }
                catch (Exception e)
                {
                    lock (failures)
                    {
                        failures.Add(e);
                    }
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            Assert.True(failures.Count == 0, $"round {round}: {string.Join(" | ", failures.Select(f => f.Message))}");
        }
        // Racing checks may leave the folder they were asked about (empty), as the worker that goes on would; never a file.
        Assert.Empty(Directory.EnumerateFiles(_parent, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void ALoneCheckLeavesTheFileSystemAsItFoundIt()
    {
        FileSystemProblem.RequireWritableFolder(Path.Combine(_parent, "a", "b", "output"), "--output");

        Assert.Empty(Directory.EnumerateFileSystemEntries(_parent));
    }

    [Fact]
    public void AFolderThatCannotBeCreatedStillFailsNamingTheSetting()
    {
        string underAFile = Path.Combine(_parent, "a-file");
        File.WriteAllText(underAFile, "x");
        // The check retries "already exists" by its errno, which is how .NET on Unix reports EEXIST.
        Assert.Equal(17, Assert.IsAssignableFrom<IOException>(Record.Exception(() => Directory.CreateDirectory(underAFile))).HResult);

        var e = Assert.Throws<OverOptConfigurationException>(
            () => FileSystemProblem.RequireWritableFolder(Path.Combine(underAFile, "output"), "--cache"));

        Assert.Contains("--cache", e.Message);
        Assert.Contains("cannot be written", e.Message);
    }

    public void Dispose() => Directory.Delete(_parent, recursive: true);
}
