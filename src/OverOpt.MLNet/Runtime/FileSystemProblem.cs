namespace OverOpt.MLNet.Runtime;

/// <summary>
/// Says what a failed file operation means for the person running the work: the path (as .NET's message names it),
/// the cause in words and what to do. Nothing already written is lost on such a failure (results and artifacts are
/// renamed into place whole), so the fix always ends in a rerun that resumes.
/// </summary>
public static class FileSystemProblem
{
    // errno values, which .NET on Unix keeps as the HResult of the IOException it throws.
    private const int NoSpace = 28;
    private const int ReadOnlyFileSystem = 30;
    private const int QuotaExceeded = 122;

    private const int AlreadyExists = 17;
    private const int MaxAttemptsWhenRacing = 20;

    /// <summary>True for a failure of the file system itself (permissions, space, a missing or read-only folder), not of a file's content.</summary>
    public static bool Is(Exception e)
        => e is UnauthorizedAccessException || (e is IOException && e is not EndOfStreamException && e is not FileNotFoundException);

    /// <summary>One line: what failed, on which path, and the fix.</summary>
    public static string Explain(Exception e) => $"{e.Message.TrimEnd('.')}. Fix: {FixFor(e)}";

    /// <summary>What to do about <paramref name="e"/>, as a sentence.</summary>
    public static string FixFor(Exception e)
    {
        string fix = e switch
        {
            UnauthorizedAccessException => "make that folder writable for this user, or choose another folder",
            DirectoryNotFoundException => "a part of that path is missing or is a file: choose a folder that can be created there",
            FileNotFoundException => "that file system takes no new folders there (e.g. /proc): choose a folder on a writable one",
            IOException { HResult: ReadOnlyFileSystem } => "that file system is mounted read-only: choose a folder on a writable one",
            IOException { HResult: NoSpace or QuotaExceeded } => "free space on that disk, or choose a folder on another one",
            _ => "check that the path exists and can be written",
        };
        return $"{fix}; then rerun: finished work is kept and resumed.";
    }

    private static bool IsWhatARacingCheckCauses(IOException e)
        => e is DirectoryNotFoundException or FileNotFoundException || e.HResult == AlreadyExists;

    /// <summary>
    /// Checks, before any work that would write there, that <paramref name="folder"/> can be created (where missing)
    /// and a file created in it; leaves the file system as it found it (checks racing on one missing folder may leave
    /// it there, empty, as a worker that goes on to write would). Throws <see cref="OverOptConfigurationException"/>
    /// naming <paramref name="setting"/> (e.g. "--output"), the folder, the cause and the fix.
    /// </summary>
    public static void RequireWritableFolder(string folder, string setting)
    {
        string full = Path.GetFullPath(folder);
        var missing = new List<string>();
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                for (string? at = full; at is not null && !Directory.Exists(at); at = Path.GetDirectoryName(at))
                {
                    missing.Add(at);
                }
                try
                {
                    Directory.CreateDirectory(full);
                    using (File.Create(Path.Combine(full, $".overopt-write-check.{Environment.ProcessId}.{Guid.NewGuid():N}"), 1, FileOptions.DeleteOnClose))
                    {
                    }
                    break;
                }
                // Two workers of a sweep start at once on a folder that does not exist yet: the other's check removes
                // what it created (empty again) while we create the folder or write in it, which .NET reports as a
                // file or folder not found, or as "already exists" when the folder went between mkdir and its stat.
                // Creating it again is the answer; a folder the file system refuses (/proc) fails every time.
                catch (IOException e) when (IsWhatARacingCheckCauses(e) && attempt < MaxAttemptsWhenRacing)
                {
                }
            }
        }
        // Creating a folder, "not found" is the file system refusing it (mkdir in /proc gives ENOENT), not a missing input.
        catch (Exception e) when (Is(e) || e is FileNotFoundException)
        {
            throw new OverOptConfigurationException($"the folder '{folder}' cannot be written ({e.Message.TrimEnd('.')}).", setting, FixFor(e), inner: e);
        }
        finally
        {
            // Deepest first (a folder's path is longer than its parent's); one that another process filled meanwhile
            // is not empty and stays.
            foreach (string created in missing.Distinct().OrderByDescending(p => p.Length).Where(Directory.Exists))
            {
                try
                {
                    Directory.Delete(created);
                }
                catch (Exception e) when (Is(e))
                {
                }
            }
        }
    }
}
