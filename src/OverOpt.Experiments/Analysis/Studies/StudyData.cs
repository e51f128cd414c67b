using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OverOpt.Experiments.Sweeps.Storage;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.RewardModels;

namespace OverOpt.Experiments.Analysis.Studies;

/// <summary>
/// The curves of a sweep database (<c>curve_points</c> with <c>fits</c>, <c>reward_models</c>, <c>policies</c> and the
/// tasks' configurations in <c>runs</c>), read once for every study. A curve that two tasks both computed (the same
/// policy, proxy, comparisons, KL coefficient and seeds, e.g. a configuration two studies share) is kept once, from the
/// lower task; so the studies pool tasks by what they measured, not by which part of the sweep asked for it.
/// </summary>
public sealed class StudyData
{
    /// <summary>The columns of a curve's key (<see cref="CurveKey"/>), in the order <see cref="ReadKey"/> reads them.</summary>
    private static readonly string[] KeyColumns = ["method", "policy", "proxy", "proxy_kind", "proxy_params", "comparisons", "kl_coefficient", "seed", "proxy_seed"];

    private static readonly string SelectKey = string.Join(", ", KeyColumns.Select(c => c == "seed" ? "CAST(seed AS TEXT)" : c));

    private static readonly string[] Needed = [.. KeyColumns, "n", "step", "kl", "d", "proxy_score", "gold_score", "gold_ci_low", "gold_ci_high"];

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
    public IEnumerable<StudyCurve> BestOfN => Curves.Where(c => c.Method == OptimizationMethod.BestOfN);

    /// <summary>The PPO curves.</summary>
    public IEnumerable<StudyCurve> Ppo => Curves.Where(c => c.Method == OptimizationMethod.Ppo);

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

    /// <summary>The curves that satisfy <paramref name="predicate"/> (e.g. one world's).</summary>
    public StudyData Where(Func<StudyCurve, bool> predicate) => new(Curves.Where(predicate).ToList(), MissingColumns);

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
        var losses = ValidationLosses(connection);
        var predicted = PredictedGoldSlopes(connection);
        var policies = Policies(connection);
        var fits = Fits(connection);
        // An ensemble's disagreement along PPO: a column databases made before ensembles lack (read as NaN).
        string disagreement = columns.Contains("proxy_disagreement") ? "proxy_disagreement" : "NULL";
        string sql = $"""
            SELECT task_index, {SelectKey}, n, step, kl, d, proxy_score, gold_score, gold_ci_low, gold_ci_high, {disagreement}
            FROM curve_points WHERE CAST(seed AS TEXT) <> 'mean' AND gold_score IS NOT NULL AND d IS NOT NULL
            ORDER BY task_index, method, policy, proxy, kl_coefficient, seed, n, step
            """;
        var rows = SweepDatabase.Query(connection, sql, r => (Task: r.GetInt32(0), Point: new CurvePoint
        {
            Key = ReadKey(r, 1), N = (int)Long(r, 10), Step = Real(r, 11), Kl = Real(r, 12), D = Real(r, 13),
            Scores = new CurveScores(new ScoreInterval(Real(r, 14), double.NaN, double.NaN), new ScoreInterval(Real(r, 15), Real(r, 16), Real(r, 17)), ScoreInterval.None),
            ProxyDisagreement = Real(r, 18),
        }));
        var curves = new List<StudyCurve>();
        var seen = new HashSet<(CurveKey, int, long, string)>();
        foreach (var g in rows.GroupBy(r => (r.Task, r.Point.Key)))
        {
            var (task, key) = g.Key;
            var (taskSeed, epochsByProxy, world, settingsByProxy, directBatch) = configurations.GetValueOrDefault(task, (0, EmptyEpochs, "", EmptySettings, 0));
            // PPO and direct alignment: curves in optimizer steps, seeded per run.
            bool ppo = key.Method != OptimizationMethod.BestOfN;
            var points = g.Select(x => x.Point).OrderBy(p => ppo ? p.Step : p.N).ToList();
            (double Alpha, double Beta) fit = fits.GetValueOrDefault((task, key), (double.NaN, double.NaN));
            var curve = new StudyCurve
            {
                Task = task, Key = key, PolicyParams = policies.GetValueOrDefault((task, key.Policy)),
                // A PPO curve's seed is its run's; the pipeline's seed (gold, pi_init, comparisons) is its task's.
                Seed = ppo ? taskSeed : key.Seed.Value,
                World = world,
                ValidationLoss = losses.GetValueOrDefault((task, key.Policy, key.Proxy), double.NaN),
                PredictedGoldSlope = predicted.GetValueOrDefault((task, key.Policy, key.Proxy), double.NaN),
                NoiseDistribution = key.ProxyKind == NoisyGoldRewardModel.KindName ? settingsByProxy.GetValueOrDefault(key.Proxy)?.Noise ?? "normal" : "",
                DirectAlignmentBatchSize = key.Method == OptimizationMethod.DirectAlignment ? directBatch : 0,
                EnsembleOf = key.ProxyKind == EnsembleRewardModel.KindName ? settingsByProxy.GetValueOrDefault(key.Proxy)?.Of ?? "" : "",
                EnsembleObjective = key.ProxyKind == EnsembleRewardModel.KindName ? settingsByProxy.GetValueOrDefault(key.Proxy)?.Objective ?? "mean" : "",
                Epochs = key.ProxyKind == TransformerRewardModel.KindName ? epochsByProxy.GetValueOrDefault(key.Proxy) : 0,
                Alpha = fit.Alpha, Beta = fit.Beta, Points = points,
            };
            if (points.Count > 0 && seen.Add((key, curve.Epochs, curve.Seed, curve.World)))
            {
                curves.Add(curve);
            }
        }
        return new StudyData(curves, []);
    }

    private static CurveKey ReadKey(SqliteDataReader r, int first) => new()
    {
        Method = OptimizationMethodLabels.Parse(Text(r, first)), Policy = Text(r, first + 1), Proxy = Text(r, first + 2), ProxyKind = Text(r, first + 3),
        ProxyParams = Long(r, first + 4), Comparisons = (int)Long(r, first + 5), KlCoefficient = r.IsDBNull(first + 6) ? 0 : Real(r, first + 6),
        Seed = CurveSeed.TryParse(Text(r, first + 7), out var seed) ? seed : throw new FormatException($"seed '{Text(r, first + 7)}' is neither a number nor 'mean'."),
        ProxySeed = r.IsDBNull(first + 8) ? null : (int)Long(r, first + 8),
    };

    internal static HashSet<string> Columns(SqliteConnection connection, string table)
        => SweepDatabase.Query(connection, $"SELECT name FROM pragma_table_info('{table}')", r => r.GetString(0)).ToHashSet(StringComparer.Ordinal);

    private static readonly Dictionary<string, int> EmptyEpochs = [];

    private static readonly Dictionary<string, ProxySettings> EmptySettings = [];

    /// <summary>What a task's configuration says of a noisyGold proxy (its noise law) or an ensemble (its recipe and objective).</summary>
    private sealed record ProxySettings(string? Noise, string? Of, string? Objective);

    /// <summary>
    /// Each task's pipeline seed, its proxies' training epochs by name, its world, its noisyGold and ensemble proxies'
    /// settings by name and its direct alignment batch size (0 without the section), from its configuration in <c>runs</c>.
    /// </summary>
    private static Dictionary<int, (long Seed, Dictionary<string, int> Epochs, string World, Dictionary<string, ProxySettings> Settings, int DirectAlignmentBatchSize)> TaskConfigurations(SqliteConnection connection)
    {
        var result = new Dictionary<int, (long, Dictionary<string, int>, string, Dictionary<string, ProxySettings>, int)>();
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
                var settings = new Dictionary<string, ProxySettings>(StringComparer.Ordinal);
                foreach (var proxy in node?["proxies"] is JsonArray proxies ? proxies : new JsonArray())
                {
                    if (proxy?["name"]?.GetValue<string>() is not { } name)
                    {
                        continue;
                    }
                    if (proxy["epochs"] is { } e)
                    {
                        epochs.TryAdd(name, e.GetValue<int>());
                    }
                    if (proxy["kind"]?.GetValue<string>() is NoisyGoldRewardModel.KindName or EnsembleRewardModel.KindName)
                    {
                        settings.TryAdd(name, new ProxySettings(proxy["noiseDistribution"]?.GetValue<string>(), proxy["of"]?.GetValue<string>(), proxy["objective"]?.GetValue<string>()));
                    }
                }
                int directBatch = node?["directAlignment"] is JsonObject direct
                    ? direct["batchSize"]?.GetValue<int>() ?? OverOpt.MLNet.DirectAlignment.DirectAlignmentTrainer.Defaults.BatchSize : 0;
                result[task] = (seed, epochs, WorldLabel(node?["world"]), settings, directBatch);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
            {
                // A configuration that is not a pipeline's JSON: the seeds come from the curves alone.
            }
        }
        return result;
    }

    /// <summary>
    /// A task's world as text: <c>version:seed</c> (the default world seed where the section leaves it out, as the pipeline
    /// does), with its story count and corpus seed where set; empty for tinytales, so that sweeps made before worlds were a
    /// setting read as they did.
    /// </summary>
    private static string WorldLabel(JsonNode? world)
    {
        string version = world?["version"]?.GetValue<string>() ?? OverOpt.MLNet.World.WorldCorpora.TinyTales;
        if (version == OverOpt.MLNet.World.WorldCorpora.TinyTales)
        {
            return "";
        }
        string label = $"{version}:{world?["seed"]?.GetValue<int>() ?? Settings.WorldSpec.Defaults.Seed}";
        return label + (world?["stories"] is { } stories ? $":{stories.GetValue<int>()} stories" : "") + (world?["corpusSeed"] is { } corpus ? $":corpus {corpus.GetValue<int>()}" : "");
    }

    /// <summary>Each proxy's validation loss by task, policy and name (<c>reward_models</c>); empty where the table lacks those columns.</summary>
    private static Dictionary<(int, string, string), double> ValidationLosses(SqliteConnection connection)
    {
        var result = new Dictionary<(int, string, string), double>();
        if (!new[] { "policy", "name", "validation_loss" }.All(Columns(connection, "reward_models").Contains))
        {
            return result;
        }
        foreach (var (task, policy, name, loss) in SweepDatabase.Query(connection, "SELECT task_index, policy, name, validation_loss FROM reward_models",
            r => (r.GetInt32(0), Text(r, 1), Text(r, 2), Real(r, 3))))
        {
            result.TryAdd((task, policy, name), loss);
        }
        return result;
    }

    /// <summary>Each noisyGold proxy's predicted gold slope by task, policy and name; empty where the table has no such column (a sweep made before them).</summary>
    private static Dictionary<(int, string, string), double> PredictedGoldSlopes(SqliteConnection connection)
    {
        var result = new Dictionary<(int, string, string), double>();
        if (!new[] { "policy", "name", "predicted_gold_slope" }.All(Columns(connection, "reward_models").Contains))
        {
            return result;
        }
        foreach (var (task, policy, name, slope) in SweepDatabase.Query(connection,
            "SELECT task_index, policy, name, predicted_gold_slope FROM reward_models WHERE predicted_gold_slope IS NOT NULL AND predicted_gold_slope <> ''",
            r => (r.GetInt32(0), Text(r, 1), Text(r, 2), Real(r, 3))))
        {
            result.TryAdd((task, policy, name), slope);
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

    /// <summary>Each curve's own fit (not the shared-alpha ones) by task and key; empty where <c>fits</c> lacks a key's columns.</summary>
    private static Dictionary<(int, CurveKey), (double Alpha, double Beta)> Fits(SqliteConnection connection)
    {
        var columns = Columns(connection, "fits");
        var result = new Dictionary<(int, CurveKey), (double, double)>();
        if (!KeyColumns.Append("alpha").Append("beta").Append("alpha_shared").All(columns.Contains))
        {
            return result;
        }
        foreach (var f in SweepDatabase.Query(connection,
            $"SELECT task_index, {SelectKey}, alpha, beta FROM fits WHERE CAST(seed AS TEXT) <> 'mean' AND (alpha_shared IS NULL OR CAST(alpha_shared AS TEXT) NOT IN ('true', '1'))",
            r => (Task: r.GetInt32(0), Key: ReadKey(r, 1), Alpha: Real(r, 10), Beta: Real(r, 11))))
        {
            result.TryAdd((f.Task, f.Key), (f.Alpha, f.Beta));
        }
        return result;
    }

    private static string Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? "" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture) ?? "";

    private static long Long(SqliteDataReader r, int i) => r.IsDBNull(i) ? 0 : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    private static double Real(SqliteDataReader r, int i) => r.IsDBNull(i) ? double.NaN : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);
}
