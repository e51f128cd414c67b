using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace OverOpt.Cli.Tests;

/// <summary>
/// The <c>overopt</c> command as a process of its own (<c>dotnet overopt.dll</c> from the test's folder), started in
/// the background so that a test can kill it, interrupt it or find its worker processes mid-way.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CliProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote to standard output and standard error so far, interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static CliProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "overopt.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var cli = new CliProcess(new Process { StartInfo = start });
        cli._process.OutputDataReceived += (_, e) => cli.Keep(e.Data);
        cli._process.ErrorDataReceived += (_, e) => cli.Keep(e.Data);
        cli._process.Start();
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Waits for the process to end; false when it did not within <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }
        _process.WaitForExit();
        return true;
    }

    /// <summary>
    /// SIGKILL to the process and every process it started (kill -9 of the whole tree); returns once all of them are
    /// gone, so that their file locks are released as they would be for a person who reruns a moment later.
    /// </summary>
    public void KillTree()
    {
        // Stopped first, so that it cannot start a worker between the listing of its workers and the kill.
        Signal(_process.Id, 19);
        var workers = Children();
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        foreach (int worker in workers)
        {
            WaitUntilGone(worker);
        }
    }

    /// <summary>SIGINT, as Ctrl-C in a terminal sends it.</summary>
    public void Interrupt() => Signal(_process.Id, 2);

    /// <summary>
    /// Whether the process ignores SIGINT (Linux: the SigIgn mask of /proc/&lt;pid&gt;/status). It does when the tests run
    /// as a background job of a non-interactive shell (<c>./test.sh &amp;</c>): POSIX has such jobs ignore SIGINT, the
    /// children inherit that, and .NET keeps a signal ignored that was ignored at start-up, as it should.
    /// </summary>
    public bool IgnoresInterrupt()
    {
        string mask = File.ReadLines($"/proc/{_process.Id}/status").Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))["SigIgn:".Length..].Trim();
        return (Convert.ToUInt64(mask, 16) & (1UL << (2 - 1))) != 0;
    }

    /// <summary>The ids of the processes this one started (Linux: /proc/&lt;pid&gt;/task/*/children).</summary>
    public IReadOnlyList<int> Children()
    {
        var ids = new List<int>();
        foreach (string task in Directory.EnumerateDirectories($"/proc/{_process.Id}/task"))
        {
            try
            {
                ids.AddRange(File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }
        return ids;
    }

    /// <summary>
    /// The processes with <paramref name="path"/> open, as "pid (command line)", from /proc/*/fd; "none" if none.
    /// For failure messages: it names a process that outlived a kill and still holds a lock.
    /// </summary>
    public static string Holders(string path)
    {
        string full = Path.GetFullPath(path);
        var holders = new List<string>();
        foreach (string process in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")).Any(fd => new FileInfo(fd).LinkTarget == full))
                {
                    string commandLine = File.ReadAllText(Path.Combine(process, "cmdline")).Replace('\0', ' ').Trim();
                    holders.Add($"{Path.GetFileName(process)} ({commandLine})");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not ours to read.
            }
        }
        return holders.Count == 0 ? "none" : string.Join(", ", holders);
    }

    /// <summary>SIGKILL to one process (a worker), not its parent.</summary>
    public static void Kill9(int processId) => Signal(processId, 9);

    /// <summary>Waits until <paramref name="processId"/> has exited (gone, or a zombie: its files are closed either way).</summary>
    private static void WaitUntilGone(int processId)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                if (File.ReadAllLines($"/proc/{processId}/status").Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z')))
                {
                    return;
                }
            }
            catch (IOException)
            {
                return;
            }
            Thread.Sleep(10);
        }
        throw new TimeoutException($"process {processId} was still alive 30 s after SIGKILL.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static void Signal(int processId, int signal)
    {
        if (kill(processId, signal) != 0)
        {
            throw new InvalidOperationException($"kill({processId}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
