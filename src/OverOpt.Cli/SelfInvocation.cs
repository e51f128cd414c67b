namespace OverOpt.Cli;

/// <summary>
/// How this command starts itself again (sweep workers, scheduler jobs): <c>dotnet &lt;path&gt;/overopt.dll</c>, with
/// both paths absolute, which works whether this process was started as <c>./overopt</c>, the apphost, <c>dotnet
/// overopt.dll</c> or in-process by the tests.
/// </summary>
internal static class SelfInvocation
{
    public static IReadOnlyList<string> Command() => [DotnetHost(), typeof(Program).Assembly.Location];

    private static string DotnetHost()
    {
        string? process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            return process;
        }
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        string name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists) ?? name;
    }
}
