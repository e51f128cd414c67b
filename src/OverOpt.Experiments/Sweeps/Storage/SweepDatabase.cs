using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OverOpt.Experiments.Files;
using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;

namespace OverOpt.Experiments.Sweeps.Storage;

/// <summary>
/// Collects a sweep's finished tasks into one SQLite database (<c>sweep.db</c>) that any SQLite client, or ML.NET's
/// DatabaseLoader, reads:
/// <list type="bullet">
/// <item><c>runs</c>: one row per task of the grid, finished or not: <c>task_index</c>, <c>hash</c>, <c>label</c>, one
/// column per axis (named after its path, e.g. <c>comparisons_count</c>), <c>overrides</c> (JSON), <c>configuration</c>
/// (the whole pipeline, canonical JSON), <c>status</c> (done, failed, running, pending), <c>wall_seconds</c>,
/// <c>started_utc</c>, <c>finished_utc</c>, <c>host</c>, <c>output_dir</c>, <c>log_path</c>, <c>rerun_command</c>,
/// <c>part</c> (in a sweep of sweeps, the listed sweep the task comes from);</item>
/// <item><c>curve_points</c>, <c>fits</c>, <c>reward_models</c>, <c>policies</c>: <c>task_index</c> and every column of
/// the task's curves.csv, fits.csv, reward_models.csv and policies.csv, under the CSV's own names (so a fit can be
/// redone from SQL alone); columns are matched by name, so tasks written before a column was added have NULL there;</item>
/// <item><c>sweep</c>: the sweep's name, files, axes, parts (a sweep of sweeps) and when it was merged.</item>
/// </list>
/// The database is written to a temporary file and renamed, so a reader never sees half of it; it is written on one
/// machine by one process (SQLite must not be written by many jobs over a network file system).
/// </summary>
public static class SweepDatabase
{
    /// <summary>The tables taken from each task's CSV files.</summary>
    public static readonly IReadOnlyList<(string Table, string File)> ResultTables =
        [("curve_points", OutputFiles.Curves), ("fits", OutputFiles.Fits), ("reward_models", OutputFiles.RewardModels), ("policies", OutputFiles.Policies)];

    private static readonly string[] RunColumns =
        ["task_index", "hash", "label", "overrides", "configuration", "status", "wall_seconds", "started_utc", "finished_utc", "host", "output_dir", "log_path", "rerun_command", "part"];

    /// <param name="sweep">The sweep.</param>
    /// <param name="layout">Where its tasks wrote.</param>
    /// <param name="rerunCommand">The command that reruns a task, as the person should type it.</param>
    public static SweepMergeResult Merge(SweepDefinition sweep, SweepLayout layout, Func<SweepTask, string> rerunCommand)
    {
        Directory.CreateDirectory(layout.Root);
        var statuses = sweep.Tasks.ToDictionary(t => t.Index, layout.StatusOf);
        var done = sweep.Tasks.Where(t => statuses[t.Index] == SweepTaskStatus.Done).ToList();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        string temporary = $"{layout.DatabasePath}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ToString()))
            {
                connection.Open();
                using var transaction = connection.BeginTransaction();
                WriteSweep(connection, sweep);
                counts["runs"] = WriteRuns(connection, sweep, layout, statuses, rerunCommand);
                foreach (var (table, file) in ResultTables)
                {
                    var sources = done.Select(t => (t.Index, Path: Path.Combine(layout.TaskDirectory(t), file))).Where(s => File.Exists(s.Path))
                        .Select(s => (s.Index, Csv: CsvDocument.Read(s.Path))).ToList();
                    counts[table] = WriteResults(connection, table, sources);
                }
                transaction.Commit();
            }
            File.Move(temporary, layout.DatabasePath, overwrite: true);
        }
        catch (SqliteException e)
        {
            // SQLite says only "unable to open database file" or "database or disk is full": name the file, and keep
            // the disk-full case recognizable (errno 28) so that the fix says to free space.
            const int SqliteFull = 13, NoSpace = 28;
            string problem = $"SQLite could not write '{temporary}' ({e.Message.ReplaceLineEndings(" ")}); the previous {Path.GetFileName(layout.DatabasePath)} is left as it was";
            throw e.SqliteErrorCode == SqliteFull ? new IOException(problem, NoSpace) : new IOException(problem, e);
        }
        finally
        {
            File.Delete(temporary);
        }
        var unfinished = sweep.Tasks.Where(t => statuses[t.Index] != SweepTaskStatus.Done)
            .Select(t => new UnfinishedTask(t, statuses[t.Index], LogPath(layout, t, statuses[t.Index]), rerunCommand(t))).ToList();
        return new SweepMergeResult { DatabasePath = layout.DatabasePath, Done = done.Count, RowCounts = counts, Unfinished = unfinished };
    }

    private static void WriteSweep(SqliteConnection connection, SweepDefinition sweep)
    {
        Execute(connection, "CREATE TABLE sweep (name TEXT, file TEXT, base_file TEXT, axes TEXT, tasks INTEGER, merged_utc TEXT, parts TEXT)");
        var axes = new JsonObject(sweep.Axes.Select(a => KeyValuePair.Create(a.Path.Text, (JsonNode?)new JsonArray(a.Values.Select(v => v?.DeepClone()).ToArray()))));
        // A sweep of sweeps: its parts (name, file, base, tasks) as JSON, and their bases in base_file.
        var parts = sweep.Parts.Count == 0 ? null : new JsonArray(sweep.Parts.Select(p => (JsonNode?)new JsonObject
        {
            ["name"] = p.Name, ["file"] = p.File, ["base_file"] = p.BaseFile, ["tasks"] = sweep.Tasks.Count(t => t.Part == p.Name),
        }).ToArray()).ToJsonString();
        string baseFile = sweep.Parts.Count == 0 ? sweep.BaseFile : string.Join(", ", sweep.Parts.Select(p => p.BaseFile).Distinct());
        Insert(connection, "sweep", ["name", "file", "base_file", "axes", "tasks", "merged_utc", "parts"],
            [sweep.Name, sweep.File, baseFile, axes.ToJsonString(), sweep.Tasks.Count, DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture), parts]);
    }

    private static int WriteRuns(SqliteConnection connection, SweepDefinition sweep, SweepLayout layout, IReadOnlyDictionary<int, SweepTaskStatus> statuses, Func<SweepTask, string> rerunCommand)
    {
        // One column per axis, after the fixed ones; a name that is taken gets a suffix.
        var axisColumns = new List<string>();
        foreach (var axis in sweep.Axes)
        {
            string name = axis.ColumnName;
            for (int k = 2; RunColumns.Contains(name) || axisColumns.Contains(name); k++)
            {
                name = $"{axis.ColumnName}_{k}";
            }
            axisColumns.Add(name);
        }
        // By path: in a sweep of sweeps a task has only its own part's axes (the others' cells are NULL).
        var axisCells = sweep.Tasks.Select(t => sweep.Axes.Select(a => t.Overrides.FirstOrDefault(o => o.Axis.Path.Text == a.Path.Text) is { } o ? Cell(o.Value) : "").ToArray()).ToList();
        var axisTypes = axisColumns.Select((_, a) => SqlType(axisCells.Select(row => row[a]))).ToList();
        string[] fixedTypes = ["INTEGER PRIMARY KEY", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "REAL", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT"];
        var columns = RunColumns.Concat(axisColumns).ToArray();
        var types = fixedTypes.Concat(axisTypes).ToArray();
        Execute(connection, $"CREATE TABLE runs ({string.Join(", ", columns.Select((c, i) => $"{Quote(c)} {types[i]}"))})");
        for (int i = 0; i < sweep.Tasks.Count; i++)
        {
            var task = sweep.Tasks[i];
            var status = statuses[task.Index];
            SweepTaskRecord? record = status == SweepTaskStatus.Done ? SweepTaskRecord.Load(layout.DoneMarker(task)) : null;
            var overrides = new JsonObject(task.Overrides.Select(o => KeyValuePair.Create(o.Axis.Path.Text, o.Value?.DeepClone())));
            object?[] values =
            [
                task.Index, task.Hash, task.Label, overrides.ToJsonString(), task.ConfigurationJson, status.ToString().ToLowerInvariant(),
                record?.WallSeconds, record?.StartedUtc.ToString("o", CultureInfo.InvariantCulture), record?.FinishedUtc.ToString("o", CultureInfo.InvariantCulture), record?.Host,
                record is null ? null : layout.TaskDirectory(task), LogPath(layout, task, status), status == SweepTaskStatus.Done ? null : rerunCommand(task), task.Part,
            ];
            Insert(connection, "runs", columns, [.. values, .. axisCells[i].Select((cell, a) => ToSql(cell, axisTypes[a]))]);
        }
        return sweep.Tasks.Count;
    }

    private static int WriteResults(SqliteConnection connection, string table, IReadOnlyList<(int Index, CsvDocument Csv)> sources)
    {
        // The union of the tasks' columns, in order of first appearance, each typed by every value it holds.
        var columns = new List<string>();
        foreach (var (_, csv) in sources)
        {
            columns.AddRange(csv.Header.Where(h => !columns.Contains(h) && h != "task_index"));
        }
        var types = columns.Select(c => SqlType(sources.SelectMany(s => s.Csv.IndexOf(c) is var k and >= 0 ? s.Csv.Rows.Select(r => r[k]) : []))).ToList();
        Execute(connection, $"CREATE TABLE {Quote(table)} (task_index INTEGER NOT NULL{string.Concat(columns.Select((c, i) => $", {Quote(c)} {types[i]}"))})");
        Execute(connection, $"CREATE INDEX {Quote(table + "_task")} ON {Quote(table)} (task_index)");
        int rows = 0;
        using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO {Quote(table)} (task_index{string.Concat(columns.Select(c => ", " + Quote(c)))}) VALUES (@p0{string.Concat(columns.Select((_, i) => $", @p{i + 1}"))})";
        var parameters = Enumerable.Range(0, columns.Count + 1).Select(i => insert.Parameters.Add(new SqliteParameter($"@p{i}", null))).ToArray();
        foreach (var (index, csv) in sources)
        {
            var positions = columns.Select(csv.IndexOf).ToArray();
            foreach (var row in csv.Rows)
            {
                parameters[0].Value = index;
                for (int c = 0; c < columns.Count; c++)
                {
                    parameters[c + 1].Value = positions[c] < 0 ? DBNull.Value : ToSql(row[positions[c]], types[c]) ?? DBNull.Value;
                }
                insert.ExecuteNonQuery();
                rows++;
            }
        }
        return rows;
    }

    /// <summary>The rows of a query on a sweep database (opened read-only), each read by <paramref name="read"/>.</summary>
    public static List<T> Query<T>(string databasePath, string sql, Func<SqliteDataReader, T> read)
    {
        using var connection = OpenReadOnly(databasePath);
        return Query(connection, sql, read);
    }

    internal static SqliteConnection OpenReadOnly(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    internal static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private static string? LogPath(SweepLayout layout, SweepTask task, SweepTaskStatus status) => status switch
    {
        SweepTaskStatus.Done => Path.Combine(layout.TaskDirectory(task), OutputFiles.TaskLog),
        SweepTaskStatus.Failed => layout.FailureLog(task),
        _ => null,
    };

    /// <summary>An axis value as a cell: scalars as their text, null as empty, lists and sections as JSON.</summary>
    private static string Cell(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.TryGetValue(out string? text) => text,
        JsonValue v => v.ToJsonString(),
        _ => value.ToJsonString(),
    };

    /// <summary>
    /// INTEGER if every non-empty value is an integer, REAL if every one is a number (or there is none: a measurement
    /// no task has made yet), else TEXT.
    /// </summary>
    private static string SqlType(IEnumerable<string> values)
    {
        bool integer = true;
        bool any = false;
        foreach (string value in values.Where(v => v.Length > 0))
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                return "TEXT";
            }
            integer &= long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
            any = true;
        }
        return integer && any ? "INTEGER" : "REAL";
    }

    private static object? ToSql(string value, string type) => value.Length == 0 ? null : type switch
    {
        "INTEGER" => long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        "REAL" => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => value,
    };

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Insert(SqliteConnection connection, string table, IReadOnlyList<string> columns, IReadOnlyList<object?> values)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(Quote))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        for (int i = 0; i < columns.Count; i++)
        {
            command.Parameters.AddWithValue($"@p{i}", values[i] ?? DBNull.Value);
        }
        command.ExecuteNonQuery();
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
