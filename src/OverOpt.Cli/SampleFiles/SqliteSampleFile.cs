using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Cli.SampleFiles;

/// <summary>
/// A table (or view) of a SQLite database through ML.NET's DatabaseLoader and Microsoft.Data.Sqlite. Every column is
/// read as text: SQLite stores any value in any column, and a text value read as a number would silently become 0.
/// </summary>
internal static class SqliteSampleFile
{
    public static IDataView Load(MLContext ml, string path, string? table)
    {
        string connection = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString();
        List<string> columns;
        try
        {
            using var database = new SqliteConnection(connection);
            database.Open();
            var tables = Strings(database, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name");
            if (table is null || !tables.Contains(table, StringComparer.Ordinal))
            {
                string present = tables.Count == 0 ? "none" : string.Join(", ", tables.Select(t => $"'{t}'"));
                throw new OverOptConfigurationException(
                    table is null ? $"a SQLite database needs a table; its tables are {present}." : $"there is no table '{table}'; the tables are {present}.",
                    "--table", "name the table of samples with --table.", path);
            }
            columns = Strings(database, $"SELECT name FROM pragma_table_info({Quote(table, '\'')})");
        }
        catch (SqliteException e)
        {
            throw new OverOptConfigurationException($"it could not be read as a SQLite database ({e.Message.ReplaceLineEndings(" ")}).", "data", "give a SQLite database file, or a .csv/.tsv/.parquet file.", path, e);
        }
        var loader = ml.Data.CreateDatabaseLoader(columns.Select((name, i) => new DatabaseLoader.Column(name, DbType.String, i)).ToArray());
        string select = $"SELECT {string.Join(", ", columns.Select(c => Quote(c, '"')))} FROM {Quote(table, '"')}";
        return loader.Load(new DatabaseSource(SqliteFactory.Instance, connection, select));
    }

    private static List<string> Strings(SqliteConnection database, string sql)
    {
        using var command = database.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    private static string Quote(string name, char quote) => $"{quote}{name.Replace(quote.ToString(), new string(quote, 2), StringComparison.Ordinal)}{quote}";
}
