namespace OverOpt.Cli.Tests;

/// <summary>
/// A folder that cannot be written (read-only) or that fills up (a small tmpfs), for the file-system fault tests.
/// As root, file permissions bind nobody, so a read-only folder is a read-only tmpfs mount, which needs root and mount
/// (the CI machine has both); otherwise it is a folder with its write permission taken away. A full disk needs a mount.
/// </summary>
internal sealed class TroubledFolder : IDisposable
{
    private readonly bool _mounted;

    private TroubledFolder(string path, bool mounted)
    {
        Path = path;
        _mounted = mounted;
    }

    public string Path { get; }

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>An existing folder nothing can be written to; null where this machine cannot make one (then skip).</summary>
    public static TroubledFolder? ReadOnly(string parent)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        string path = System.IO.Path.Combine(parent, "read-only");
        Directory.CreateDirectory(path);
        if (IsRoot)
        {
            return Mount(path, "ro,size=64k") ? new TroubledFolder(path, mounted: true) : null;
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return new TroubledFolder(path, mounted: false);
    }

    /// <summary>A writable folder on a file system of <paramref name="kilobytes"/> KiB; null without root and mount.</summary>
    public static TroubledFolder? Full(string parent, int kilobytes)
    {
        string path = System.IO.Path.Combine(parent, "small-disk");
        Directory.CreateDirectory(path);
        return IsRoot && Mount(path, $"size={kilobytes}k") ? new TroubledFolder(path, mounted: true) : null;
    }

    public void Dispose()
    {
        if (_mounted)
        {
            Command("umount", ["-l", Path]);
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static bool Mount(string path, string options) => Command("mount", ["-t", "tmpfs", "-o", options, "tmpfs", path]);

    private static bool Command(string file, string[] arguments)
    {
        try
        {
            var (code, _) = ExternalProcess.Run(file, arguments, TimeSpan.FromSeconds(20));
            return code == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }
}
