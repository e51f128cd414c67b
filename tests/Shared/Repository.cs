namespace OverOpt.Testing;

/// <summary>The repository the tests run from: its root (the folder of OverOpt.MLNet.sln) and its files.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>A file of the repository by its path from the root, e.g. "pipelines/quick.json".</summary>
    public static string File(string relative)
    {
        string path = Path.Combine(Root, relative);
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"{relative} is not in the repository at {Root}.");
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(folder.FullName, "OverOpt.MLNet.sln")))
            {
                return folder.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no folder above {AppContext.BaseDirectory} holds OverOpt.MLNet.sln.");
    }
}
