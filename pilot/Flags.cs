namespace WorldPilot;

/// <summary>--name value pairs from the command line, with typed defaults.</summary>
internal sealed class Flags
{
    private readonly Dictionary<string, string> _values;

    private Flags(Dictionary<string, string> values) => _values = values;

    public static Flags Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= list.Count)
            {
                throw new ArgumentException($"expected --name value, got '{list[i]}'");
            }
            values[list[i][2..]] = list[++i];
        }
        return new Flags(values);
    }

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v) : fallback;

    public double Double(string name, double fallback) => _values.TryGetValue(name, out var v) ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    public string String(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    /// <summary>The sweep tasks folder <c>--tasks</c> names; it must exist.</summary>
    public string TasksFolder()
    {
        string tasks = String("tasks", "");
        return Directory.Exists(tasks) ? tasks
            : throw new ArgumentException($"--tasks '{tasks}' is not a folder: give a sweep's tasks folder, e.g. runs/storyworld-sombre-24/tasks.");
    }

    public int[] Ints(string name, int[] fallback) => _values.TryGetValue(name, out var v) ? v.Split(',').Select(int.Parse).ToArray() : fallback;
}
