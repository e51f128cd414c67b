using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OverOpt.Experiments.Sweeps.Storage;
using OverOpt.MLNet.Curves;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// The curves of a sweep database (<c>curve_points</c> with <c>fits</c>, <c>reward_models</c>, <c>policies</c> and the
/// tasks' configurations in <c>runs</c>), read once for every study. A curve that two tasks both computed (the same
/// policy, proxy, comparisons, KL coefficient and seeds, e.g. a configuration two studies share) is kept once, from the
/// lower task; so the studies pool tasks by what they measured, not by which part of the sweep asked for it.
/// </summary>
public sealed class StudyData
{
    private static readonly string[] Needed = ["method", "policy", "proxy", "proxy_params", "comparisons", "kl_coefficient", "seed", "n", "step", "kl", "d", "proxy_score", "gold_score"];

    private StudyData(IReadOnlyList<StudyCurve> curves, IReadOnlyList<string> missing)
    {
        Curves = curves;
        MissingColumns = missing;
    }

    /// <summary>Every per-seed curve (best-of-n per pipeline seed, PPO per PPO seed), duplicates removed; seed-mean rows are left out.</summary>
    public IReadOnlyList<StudyCurve> Curves { get; }

    /// <summary>Columns of <c>curve_points</c> the studies need that the database lacks (then there are no curves).</summary>
    public IReadOnlyList<string> MissingColumns { get; }

    /// <summary>The best-of-n curves.</summary>
    public IEnumerable<StudyCurve> BestOfN => Curves.Where(c => c.Method == "bon");

    /// <summary>The PPO curves.</summary>
    public IEnumerable<StudyCurve> Ppo => Curves.Where(c => c.Method == "ppo");

    /// <summary>
    /// The epochs most transformer curves were trained for (ties: the fewest), 0 where none says: the sweep's base
    /// training recipe, against which the data-repetition study sets its other epochs.
    /// </summary>
    public int BaseEpochs => Curves.Where(c => c.Epochs > 0).GroupBy(c => c.Epochs)
        .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).FirstOrDefault();

    /// <summary>
    /// The curves trained with the base epochs (and those with no epochs: FastTree, or a database that does not say),
    /// so that a run repeating its data for more epochs does not enter the size and data studies as another replicate.
    /// </summary>
    public StudyData AtBaseEpochs()
    {
        int epochs = BaseEpochs;
        return new StudyData(Curves.Where(c => c.Epochs == 0 || c.Epochs == epochs).ToList(), MissingColumns);
    }

    /// <summary>Reads a sweep database.</summary>
    public static StudyData Read(SqliteConnection connection)
    {
        var columns = Columns(connection, "curve_points");
        var missing = Needed.Where(n => !columns.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            return new StudyData([], missing);
        }
        var configurations = TaskConfigurations(connection);
        var models = RewardModels(connection);
        var policies = Policies(connection);
        var fits = Fits(connection);
        string Optional(string column, string table) => Columns(connection, table).Contains(column) ? column : "NULL";
        string sql = $"""
            SELECT task_index, method, policy, proxy, proxy_params, comparisons, kl_coefficient, CAST(seed AS TEXT), {Optional("proxy_seed", "curve_points")},
                   n, step, kl, d, proxy_score, gold_score, {Optional("gold_ci_low", "curve_points")}, {Optional("gold_ci_high", "curve_points")}
            FROM curve_points WHERE CAST(seed AS TEXT) <> 'mean' AND gold_score IS NOT NULL AND d IS NOT NULL
            ORDER BY task_index, method, policy, proxy, kl_coefficient, seed, n, step
            """;
        var rows = SweepDatabase.Query(connection, sql, r => (
            Task: r.GetInt32(0), Method: r.GetString(1), Policy: Text(r, 2), Proxy: Text(r, 3), Params: Long(r, 4), Comparisons: Long(r, 5), Kl: Real(r, 6), Seed: Text(r, 7),
            ProxySeed: r.IsDBNull(8) ? (long?)null : Convert.ToInt64(r.GetValue(8), CultureInfo.InvariantCulture),
            Point: new CurvePoint
            {
                Method = r.GetString(1), N = (int)Long(r, 9), Step = Real(r, 10), Kl = Real(r, 11), D = Real(r, 12), ProxyScore = Real(r, 13), GoldScore = Real(r, 14),
                GoldCiLow = Real(r, 15), GoldCiHigh = Real(r, 16),
            }));
        var curves = new List<StudyCurve>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var g in rows.GroupBy(r => (r.Task, r.Method, r.Policy, r.Proxy, r.Kl, r.Seed)))
        {
            var first = g.First();
            var model = models.GetValueOrDefault((first.Task, first.Policy, first.Proxy)) ?? models.GetValueOrDefault((first.Task, "", first.Proxy));
            string kind = model?.Kind ?? "transformer";
            var (taskSeed, taskProxySeed, epochsByProxy) = configurations.GetValueOrDefault(first.Task, (0, null, EmptyEpochs));
            bool ppo = first.Method != "bon";
            long seed = ppo || !long.TryParse(first.Seed, CultureInfo.InvariantCulture, out long bonSeed) ? taskSeed : bonSeed;
            long? proxySeed = kind == "fasttree" ? null : first.ProxySeed ?? model?.ProxySeed ?? taskProxySeed ?? seed;
            long? runSeed = ppo && long.TryParse(first.Seed, CultureInfo.InvariantCulture, out long r) ? r : null;
            var points = g.Select(x => x.Point).OrderBy(p => ppo ? p.Step : p.N).ToList();
            if (!fits.TryGetValue((first.Task, first.Method, first.Policy, first.Proxy, first.Kl, first.Seed), out var fit)
                && !fits.TryGetValue((first.Task, first.Method, "", first.Proxy, first.Kl, first.Seed), out fit))
            {
                fit = (double.NaN, double.NaN);
            }
            var curve = new StudyCurve
            {
                Task = first.Task, Method = first.Method, Policy = first.Policy, PolicyParams = policies.GetValueOrDefault((first.Task, first.Policy)),
                Proxy = first.Proxy, Kind = kind, Params = first.Params, Comparisons = first.Comparisons, KlCoefficient = first.Kl,
                Seed = seed, ProxySeed = proxySeed, RunSeed = runSeed, ValidationLoss = model?.ValidationLoss ?? double.NaN,
                Epochs = kind == "transformer" ? epochsByProxy.GetValueOrDefault(first.Proxy) : 0,
                Alpha = fit.Alpha, Beta = fit.Beta, Points = points,
            };
            string key = string.Join('|', curve.Method, curve.Policy, curve.Proxy, curve.Kind, curve.Params, curve.Comparisons, curve.Epochs,
                curve.KlCoefficient.ToString("R", CultureInfo.InvariantCulture), curve.Replicate);
            if (points.Count > 0 && seen.Add(key))
            {
                curves.Add(curve);
            }
        }
        return new StudyData(curves, []);
    }

    internal static HashSet<string> Columns(SqliteConnection connection, string table)
        => SweepDatabase.Query(connection, $"SELECT name FROM pragma_table_info('{table}')", r => r.GetString(0)).ToHashSet(StringComparer.Ordinal);

    private static readonly Dictionary<string, int> EmptyEpochs = [];

    /// <summary>
    /// Each task's pipeline seed, proxySeed and its proxies' training epochs by name, from its configuration in
    /// <c>runs</c>.
    /// </summary>
    private static Dictionary<int, (long Seed, long? ProxySeed, Dictionary<string, int> Epochs)> TaskConfigurations(SqliteConnection connection)
    {
        var result = new Dictionary<int, (long, long?, Dictionary<string, int>)>();
        if (!Columns(connection, "runs").Contains("configuration"))
        {
            return result;
        }
        foreach (var (task, json) in SweepDatabase.Query(connection, "SELECT task_index, configuration FROM runs", r => (r.GetInt32(0), r.IsDBNull(1) ? null : r.GetString(1))))
        {
            try
            {
                var node = json is null ? null : JsonNode.Parse(json);
                long seed = node?["seed"]?.GetValue<long>() ?? 1;
                var epochs = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var proxy in node?["proxies"] is JsonArray proxies ? proxies : new JsonArray())
                {
                    if (proxy?["name"]?.GetValue<string>() is { } name && proxy["epochs"] is { } e)
                    {
                        epochs.TryAdd(name, e.GetValue<int>());
                    }
                }
                result[task] = (seed, node?["proxySeed"]?.GetValue<long>() ?? seed, epochs);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
            {
                // A configuration that is not a pipeline's JSON: the seeds come from the curves alone.
            }
        }
        return result;
    }

    private sealed record Model(string Kind, double ValidationLoss, long? ProxySeed);

    private static Dictionary<(int, string, string), Model> RewardModels(SqliteConnection connection)
    {
        var columns = Columns(connection, "reward_models");
        var result = new Dictionary<(int, string, string), Model>();
        if (!columns.Contains("name"))
        {
            return result;
        }
        string C(string name) => columns.Contains(name) ? name : "NULL";
        foreach (var row in SweepDatabase.Query(connection, $"SELECT task_index, {C("policy")}, name, {C("kind")}, {C("validation_loss")}, {C("proxy_seed")} FROM reward_models",
            r => (Task: r.GetInt32(0), Policy: Text(r, 1), Name: Text(r, 2), Kind: r.IsDBNull(3) ? "transformer" : Text(r, 3), Loss: Real(r, 4),
                ProxySeed: r.IsDBNull(5) ? (long?)null : Convert.ToInt64(r.GetValue(5), CultureInfo.InvariantCulture))))
        {
            result.TryAdd((row.Task, row.Policy, row.Name), new Model(row.Kind, row.Loss, row.ProxySeed));
        }
        return result;
    }

    private static Dictionary<(int, string), long> Policies(SqliteConnection connection)
    {
        var columns = Columns(connection, "policies");
        if (!columns.Contains("policy") || !columns.Contains("parameters"))
        {
            return [];
        }
        var result = new Dictionary<(int, string), long>();
        foreach (var (task, policy, parameters) in SweepDatabase.Query(connection, "SELECT task_index, policy, parameters FROM policies", r => (r.GetInt32(0), Text(r, 1), Long(r, 2))))
        {
            result.TryAdd((task, policy), parameters);
        }
        return result;
    }

    private static Dictionary<(int, string, string, string, double, string), (double Alpha, double Beta)> Fits(SqliteConnection connection)
    {
        var columns = Columns(connection, "fits");
        var result = new Dictionary<(int, string, string, string, double, string), (double, double)>();
        if (!new[] { "method", "proxy", "seed", "alpha", "beta" }.All(columns.Contains))
        {
            return result;
        }
        string C(string name) => columns.Contains(name) ? name : "NULL";
        string shared = columns.Contains("alpha_shared") ? "AND (alpha_shared IS NULL OR CAST(alpha_shared AS TEXT) NOT IN ('true', '1'))" : "";
        foreach (var f in SweepDatabase.Query(connection,
            $"SELECT task_index, method, {C("policy")}, proxy, {C("kl_coefficient")}, CAST(seed AS TEXT), alpha, beta FROM fits WHERE CAST(seed AS TEXT) <> 'mean' {shared}",
            r => (Task: r.GetInt32(0), Method: Text(r, 1), Policy: Text(r, 2), Proxy: Text(r, 3), Kl: r.IsDBNull(4) ? 0 : Real(r, 4), Seed: Text(r, 5), Alpha: Real(r, 6), Beta: Real(r, 7))))
        {
            result.TryAdd((f.Task, f.Method, f.Policy, f.Proxy, f.Kl, f.Seed), (f.Alpha, f.Beta));
        }
        return result;
    }

    private static string Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? "" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture) ?? "";

    private static long Long(SqliteDataReader r, int i) => r.IsDBNull(i) ? 0 : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    private static double Real(SqliteDataReader r, int i) => r.IsDBNull(i) ? double.NaN : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);
}
