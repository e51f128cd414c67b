using OverOpt.MLNet.Torch;

namespace OverOpt.Cli.Tests;

/// <summary>The command line end to end: exit codes and messages as a person sees them.</summary>
[Collection(nameof(CliTests))]
public sealed class CliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("overopt-cli-").FullName;

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void ABadPipelineStopsWithExitCodeTwoAndOneClearLine()
    {
        string path = Path.Combine(_folder, "bad.json");
        File.WriteAllText(path, "{ \"policies\": [ { \"name\": \"a\", \"modelDim\": 64, \"heads\": 6 } ] }");

        var (code, _, error) = Run("run", path, "--output", Path.Combine(_folder, "out"));

        Assert.Equal(2, code);
        Assert.Contains($"{path}: field 'policies[0].heads'", error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(Directory.Exists(Path.Combine(_folder, "out")));
    }

    [Fact]
    public void TheRunPipelineWritesItsResultsAndReusesTheCache()
    {
        string path = Path.Combine(_folder, "tiny.json");
        File.WriteAllText(path, TestPipelines.Tiny);
        string output = Path.Combine(_folder, "out");
        string cache = Path.Combine(_folder, "cache");

        var first = Run("run", path, "--output", output, "--cache", cache);
        string firstCurves = File.ReadAllText(Path.Combine(output, "curves.csv"));
        string firstComparisons = File.ReadAllText(Path.Combine(output, "comparisons.csv"));
        var second = Run("run", path, "--output", output, "--cache", cache);

        Assert.Equal(0, first.Code);
        Assert.Equal(0, second.Code);
        Assert.Contains("saved", first.Error);
        Assert.Contains("reusing", second.Error);
        Assert.Equal(7, File.ReadAllLines(Path.Combine(output, "samples.csv")).Length);
        Assert.True(File.Exists(Path.Combine(output, "summary.json")));
        Assert.Contains("[pretrain a]", first.Error);
        foreach (var file in new[] { "curves.csv", "fits.csv", "reward_models.csv", "comparisons.csv", "report.md", "bon-scores-vs-d.png", "gold-vs-proxy.png" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        }
        var curves = File.ReadAllLines(Path.Combine(output, "curves.csv"));
        Assert.StartsWith("method,policy,proxy,proxy_kind,proxy_params,comparisons,kl_coefficient,seed,n,step,kl,kl_measured,d,proxy_score,proxy_ci_low,proxy_ci_high,gold_score,gold_ci_low,gold_ci_high,rule_score,rule_ci_low,rule_ci_high", curves[0]);
        // Evaluations at steps 0, 1 and 4 on each of two seeds, and their mean; every row is written whatever the run's outcome.
        Assert.Equal(1 + 2 * 5 + 2 * 3 + 3, curves.Length);
        Assert.Equal(3, curves.Count(l => l.StartsWith("ppo,a,t,", StringComparison.Ordinal) && l.Contains(",mean,", StringComparison.Ordinal)));
        Assert.All(curves.Skip(1), l => Assert.NotEqual("", l.Split(',')[18]));
        // Two best-of-n fits; per seed, seed mean and shared-alpha PPO fits, written even where a curve cannot be fitted.
        var fits = File.ReadAllLines(Path.Combine(output, "fits.csv"));
        Assert.Equal(1 + 2 + 2 + 1 + 1, fits.Length);
        Assert.Single(fits, l => l.StartsWith("ppo,", StringComparison.Ordinal) && l.Contains(",true,", StringComparison.Ordinal));
        foreach (var file in new[] { "ppo-a-t-s1.csv", "ppo-a-t-s2.policy.zip", "rl-scores-vs-d.png", "rl-kl-vs-step.png" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        }
        // jobs.csv: every job of the proxies, best-of-n and PPO, each started after the jobs it waits for had finished.
        var jobs = File.ReadAllLines(Path.Combine(output, "jobs.csv"));
        Assert.Equal("job,worker,started_s,finished_s,seconds", jobs[0]);
        var timeline = jobs.Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0], c => (Start: double.Parse(c[2], System.Globalization.CultureInfo.InvariantCulture), End: double.Parse(c[3], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["best-of-n samples", "train t", "train f", "ppo-a-t-s1", "ppo-a-t-s2", "best-of-n rule scores", "best-of-n scores t", "best-of-n scores f", "best-of-n curve t", "best-of-n curve f"], timeline.Keys);
        foreach (var (job, after) in new[] { ("ppo-a-t-s1", "train t"), ("ppo-a-t-s2", "train t"), ("best-of-n scores t", "train t"), ("best-of-n scores t", "best-of-n samples"), ("best-of-n curve f", "best-of-n scores f"), ("best-of-n curve t", "best-of-n rule scores") })
        {
            Assert.True(timeline[job].Start >= timeline[after].End, $"{job} started at {timeline[job].Start} s, before {after} ended at {timeline[after].End} s");
        }
        Assert.Contains("resumed", second.Error);
        Assert.Equal(firstCurves, File.ReadAllText(Path.Combine(output, "curves.csv")));
        Assert.Contains("reusing", second.Error.Split('\n').Single(l => l.Contains("/gold/")));
        // No work twice: the rerun loads the labelled comparisons instead of sampling and labelling them again.
        Assert.Contains("reusing", second.Error.Split('\n').Single(l => l.Contains("/comparisons/")));
        Assert.Equal(firstComparisons, File.ReadAllText(Path.Combine(output, "comparisons.csv")));

        string gold = Directory.GetFiles(Path.Combine(cache, "gold"), "*.zip").Single();
        var scored = Run("score", "--model", gold, "--prompt", "<bos> once there was", "--response", "tom was happy . he ran");
        Assert.Equal(0, scored.Code);
        Assert.Matches(@"^gold \(transformer, [\d,]+ parameters\): -?\d+\.\d{3}", scored.Output);
    }

    [Fact]
    public void AFixedValidationSetIsTheSameWhateverTheCountAndEveryCountIsTrainedOn()
    {
        // Two counts with validationCount: every comparison of the count is trained on, and both are validated on the same
        // pairs, drawn apart (a share of a small count would leave a few pairs, on which the fitted temperature flatters).
        string cache = Path.Combine(_folder, "cache");
        var validation = new List<string[]>();
        foreach (int count in new[] { 60, 120 })
        {
            string path = Path.Combine(_folder, $"fixed-{count}.json");
            File.WriteAllText(path, TestPipelines.Edit(TestPipelines.RewardOnly,
                root => root["comparisons"] = new System.Text.Json.Nodes.JsonObject { ["count"] = count, ["validationCount"] = 50 }));
            string output = Path.Combine(_folder, $"fixed-{count}");

            var run = Run("run", path, "--output", output, "--cache", cache);

            Assert.Equal(0, run.Code);
            var rows = File.ReadAllLines(Path.Combine(output, "comparisons.csv")).Skip(1).ToArray();
            Assert.Equal(50, rows.Count(r => r.StartsWith("validation,", StringComparison.Ordinal)));
            Assert.Equal(count, rows.Count(r => r.StartsWith("train,", StringComparison.Ordinal)));
            validation.Add(rows.Where(r => r.StartsWith("validation,", StringComparison.Ordinal)).ToArray());
            var proxy = File.ReadAllLines(Path.Combine(output, "reward_models.csv")).Single(l => l.Contains(",t,", StringComparison.Ordinal)).Split(',');
            Assert.Equal(count.ToString(System.Globalization.CultureInfo.InvariantCulture), proxy[4]);
            Assert.Contains("50 more held out", File.ReadAllText(Path.Combine(output, "report.md")));
        }
        Assert.Equal(validation[0], validation[1]);
        var trainedOn = File.ReadAllLines(Path.Combine(_folder, "fixed-120", "comparisons.csv")).Where(r => r.StartsWith("train,", StringComparison.Ordinal)).Select(r => r["train,".Length..]);
        Assert.Empty(validation[0].Select(r => r["validation,".Length..]).Intersect(trainedOn));
    }

    [Fact]
    public void AStoryWorldPipelineRunsInItsWorldAndAnotherWorldSeedSharesNoModel()
    {
        string path = Path.Combine(_folder, "storyworld.json");
        File.WriteAllText(path, TestPipelines.StoryWorld);
        string cache = Path.Combine(_folder, "cache");
        var first = Run("run", path, "--output", Path.Combine(_folder, "world2"), "--cache", cache);
        var firstWorlds = Directory.GetFiles(cache, "*.zip", SearchOption.AllDirectories).ToHashSet();
        File.WriteAllText(path, TestPipelines.Edit(TestPipelines.StoryWorld, root => root["world"]!["seed"] = 3));
        var second = Run("run", path, "--output", Path.Combine(_folder, "world3"), "--cache", cache);

        Assert.Equal((0, 0), (first.Code, second.Code));
        Assert.Contains("\"corpus\": \"storyworld-1:world2:corpus1002:2000\"", File.ReadAllText(Path.Combine(_folder, "world2", "summary.json")));
        Assert.Contains("`StoryTaste`", File.ReadAllText(Path.Combine(_folder, "world2", "report.md")));
        // rule_score (column 19) is the world's taste on every row, finite.
        Assert.All(File.ReadAllLines(Path.Combine(_folder, "world2", "curves.csv")).Skip(1), l => Assert.True(double.IsFinite(double.Parse(l.Split(',')[19], System.Globalization.CultureInfo.InvariantCulture)), l));
        // Another world seed is another corpus, pi_init, gold and proxies: nothing is reused across worlds.
        // (Within one run a model may be reused: here gold's language model has pi_init's shape, so it is pi_init.)
        Assert.DoesNotContain(second.Error.Split('\n').Where(l => l.Contains("reusing", StringComparison.Ordinal)), l => firstWorlds.Any(l.Contains));
        Assert.NotEmpty(firstWorlds);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(cache, "gold"), "*.zip").Length);
    }

    [Fact]
    public void ProxySeedsOfOneLanguageModelShareItsLikelihoodsAndDrawTheCurvesOfAnEmptyCache()
    {
        // The rule as gold and no PPO: one proxy reading its language model's likelihood, and best-of-n.
        string Write(int proxySeed)
        {
            string path = Path.Combine(_folder, $"storyworld-{proxySeed}.json");
            File.WriteAllText(path, TestPipelines.Edit(TestPipelines.StoryWorld, root =>
            {
                root["gold"] = new System.Text.Json.Nodes.JsonObject { ["kind"] = "rule" };
                root["proxies"]!.AsArray().RemoveAt(1);
                root["ppo"] = new System.Text.Json.Nodes.JsonObject { ["proxies"] = new System.Text.Json.Nodes.JsonArray() };
                root["proxySeed"] = proxySeed;
            }));
            return path;
        }
        string shared = Path.Combine(_folder, "cache");

        var first = Run("run", Write(1), "--output", Path.Combine(_folder, "seed1"), "--cache", shared);
        var second = Run("run", Write(2), "--output", Path.Combine(_folder, "seed2"), "--cache", shared);
        var fresh = Run("run", Write(2), "--output", Path.Combine(_folder, "seed2-fresh"), "--cache", Path.Combine(_folder, "empty"));

        Assert.Equal((0, 0, 0), (first.Code, second.Code, fresh.Code));
        // One language model, one set of samples: its likelihoods are computed once, by the first proxy seed.
        string likelihoods = Assert.Single(Directory.GetFiles(Path.Combine(shared, "bon-likelihoods"), "*.zip"));
        Assert.Contains(second.Error.Split('\n'), l => l.Contains("reusing", StringComparison.Ordinal) && l.Contains(likelihoods, StringComparison.Ordinal));
        Assert.NotEqual(File.ReadAllText(Path.Combine(_folder, "seed1", "curves.csv")), File.ReadAllText(Path.Combine(_folder, "seed2", "curves.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(_folder, "seed2-fresh", "curves.csv")), File.ReadAllText(Path.Combine(_folder, "seed2", "curves.csv")));
    }

    [Fact]
    public void AGoldThatIsTheRuleTrainsNoNetworkLabelsByTheRuleAndScoresAsTheRuleColumn()
    {
        string path = Path.Combine(_folder, "rule-gold.json");
        File.WriteAllText(path, TestPipelines.Edit(TestPipelines.Tiny, root =>
        {
            root["gold"] = new System.Text.Json.Nodes.JsonObject { ["kind"] = "rule" };
            // Beside the learned proxies, one that is gold plus noise (built, not trained or cached), optimized by PPO too.
            root["proxies"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["name"] = "n", ["kind"] = "noisyGold", ["noise"] = 1.0 });
            root["ppo"]!["proxies"] = new System.Text.Json.Nodes.JsonArray("t", "n");
        }));
        string output = Path.Combine(_folder, "out");
        string cache = Path.Combine(_folder, "cache");

        var run = Run("run", path, "--output", output, "--cache", cache);

        Assert.Equal(0, run.Code);
        Assert.False(Directory.Exists(Path.Combine(cache, "gold")));
        var curves = File.ReadAllLines(Path.Combine(output, "curves.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        // gold_score (16) is rule_score (19) on every best-of-n and PPO row, and it moves (a real score, not a constant).
        Assert.All(curves, c => Assert.Equal(c[19], c[16]));
        Assert.True(curves.Select(c => c[16]).Distinct().Count() > 3);
        // Labels come from the rule: an unflipped pair's chosen response scores at least its rejected one (ties: a coin).
        var comparisons = File.ReadAllLines(Path.Combine(output, "comparisons.csv")).Skip(1).Select(l => l.Split(',')[^3..]).ToList();
        var unflipped = comparisons.Where(c => c[2] == "false").ToList();
        Assert.True(unflipped.Count > comparisons.Count / 2);
        Assert.All(unflipped, c => Assert.True(double.Parse(c[0], System.Globalization.CultureInfo.InvariantCulture) >= double.Parse(c[1], System.Globalization.CultureInfo.InvariantCulture), string.Join(",", c)));
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(output, "reward_models.csv")), l => l.Split(',')[1] == "gold");
        Assert.Contains("`gold.kind` `rule`", File.ReadAllText(Path.Combine(output, "report.md")));

        // The noisy proxy: eq. 1's slope recorded, its noise seed the proxy seed, its scores gold plus noise, nothing cached.
        var noisy = File.ReadAllLines(Path.Combine(output, "reward_models.csv")).Single(l => l.StartsWith("a,n,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(("noisyGold", "0", "1"), (noisy[2], noisy[3], noisy[8]));
        Assert.InRange(double.Parse(noisy[9], System.Globalization.CultureInfo.InvariantCulture), 0.05, 0.95);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(cache, "proxies"), "*.zip").Length);
        var noisyRows = curves.Where(c => c[2] == "n").ToList();
        Assert.Contains(noisyRows, c => c[0] == "bon");
        Assert.Contains(noisyRows, c => c[0] == "ppo");
        // proxy_score (13) is not gold_score (16): the noise is there.
        Assert.Contains(noisyRows, c => c[13] != c[16]);
    }

    [Fact]
    public void EnsemblesShareTheirMembersReuseTheSingleProxyAndRecordTheirDisagreementAlongPpo()
    {
        string path = Path.Combine(_folder, "ensembles.json");
        File.WriteAllText(path, TestPipelines.Edit(TestPipelines.Tiny, root =>
        {
            root["gold"] = new System.Text.Json.Nodes.JsonObject { ["kind"] = "rule" };
            var proxies = root["proxies"]!.AsArray();
            proxies.RemoveAt(1);
            proxies.Add(new System.Text.Json.Nodes.JsonObject { ["name"] = "t-min", ["kind"] = "ensemble", ["of"] = "t", ["members"] = 3, ["objective"] = "worstCase" });
            proxies.Add(new System.Text.Json.Nodes.JsonObject { ["name"] = "t-uwo", ["kind"] = "ensemble", ["of"] = "t", ["members"] = 3, ["objective"] = "uncertaintyWeighted" });
            root["ppo"]!["proxies"] = new System.Text.Json.Nodes.JsonArray("t", "t-uwo");
        }));
        string output = Path.Combine(_folder, "out");
        string cache = Path.Combine(_folder, "cache");

        var run = Run("run", path, "--output", output, "--cache", cache);

        Assert.Equal(0, run.Code);
        // Members are seeds 1-3 of t: seed 1 is t itself, seeds 2 and 3 are trained once for both ensembles.
        Assert.Equal(3, Directory.GetFiles(Path.Combine(cache, "proxies"), "*.zip").Length);
        // Each proxy's training checkpoints (<key>.training/) went once the proxy was saved.
        Assert.Empty(Directory.GetDirectories(Path.Combine(cache, "proxies")));
        var models = File.ReadAllLines(Path.Combine(output, "reward_models.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[1]);
        Assert.Equal("ensemble", models["t-min"][2]);
        Assert.Equal(3 * long.Parse(models["t"][3], System.Globalization.CultureInfo.InvariantCulture), long.Parse(models["t-uwo"][3], System.Globalization.CultureInfo.InvariantCulture));
        // proxy_disagreement (25): a variance on every PPO row of the ensemble, empty for the single proxy.
        var ppo = File.ReadAllLines(Path.Combine(output, "curves.csv")).Skip(1).Select(l => l.Split(',')).Where(c => c[0] == "ppo").ToList();
        Assert.All(ppo.Where(c => c[2] == "t-uwo"), c => Assert.True(double.Parse(c[25], System.Globalization.CultureInfo.InvariantCulture) >= 0));
        Assert.Contains(ppo, c => c[2] == "t-uwo" && double.Parse(c[25], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.All(ppo.Where(c => c[2] == "t"), c => Assert.Equal("", c[25]));
    }

    [Fact]
    public void IteratedRlhfRetrainsItsProxyOnEveryComparisonSoFarAndSpendsItsKlBudgetByRounds()
    {
        string path = Path.Combine(_folder, "iterated.json");
        File.WriteAllText(path, TestPipelines.Edit(TestPipelines.Tiny, root =>
        {
            root["gold"] = new System.Text.Json.Nodes.JsonObject { ["kind"] = "rule" };
            root["bestOfN"]!["prompts"] = 0;
            root["ppo"]!["proxies"] = new System.Text.Json.Nodes.JsonArray();
            root["ppo"]!["learningRate"] = 1e-3;
            root["iteratedRlhf"] = System.Text.Json.Nodes.JsonNode.Parse("""{ "proxy": "t", "rounds": [1, 2], "totalKl": 0.002, "comparisonsPerRound": 40, "seeds": [1, 2], "maxStepsPerRound": 12 }""");
        }));
        string output = Path.Combine(_folder, "out");

        var run = Run("run", path, "--output", output, "--cache", Path.Combine(_folder, "cache"));

        Assert.Equal(0, run.Code);
        var rows = File.ReadAllLines(Path.Combine(output, "iterated.csv")).Skip(1).Select(l => l.Split(',').Select(c => c.Length == 0 ? double.NaN : double.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToList();
        // (k, seed, round): k = 1 on 2 seeds, k = 2 on 2 seeds: 6 rounds; each round adds its comparisons to the last's.
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Equal(40 * r[2], r[3]));
        // total_d is the running sum of the rounds' sqrt(KL); a tiny budget stops every round before its step cap.
        foreach (var run2 in rows.GroupBy(r => (r[0], r[1])))
        {
            var ordered = run2.OrderBy(r => r[2]).ToList();
            Assert.Equal(ordered.Sum(r => Math.Sqrt(r[5])), ordered[^1][6], 9);
            Assert.All(ordered, r => Assert.True(r[4] < 12, $"round took {r[4]} steps"));
            Assert.True(double.IsFinite(ordered[^1][10]) && double.IsFinite(ordered[^1][11]));
        }
        string report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("## Iterated RLHF (sec. 4.3)", report);
        Assert.Matches(@"Finding: iterated RLHF: k rounds of d/k each gain beta_RL d ln k over one round at the same total d \(sec\. 4\.3\): \*\*(holds|does not hold|not measured)\*\*", report);
        Assert.True(File.Exists(Path.Combine(output, "iterated-gold-vs-d.png")));
    }

    [Fact]
    public void ProxiesAndPpoRunsGiveTheSameNumbersSideBySideAsOneAfterAnother()
    {
        // threadsPerJob (1) fixes each job's thread count: --threads 2 runs two jobs at once, --threads 1 one at a time.
        string path = Path.Combine(_folder, "tiny.json");
        File.WriteAllText(path, TestPipelines.Tiny);
        string cache = Path.Combine(_folder, "cache");
        try
        {
            var together = Run("run", path, "--output", Path.Combine(_folder, "together"), "--cache", cache, "--threads", "2");
            // pi_init, gold and the comparisons are reused; the proxies and PPO are trained again, one job at a time.
            Directory.Delete(Path.Combine(cache, "proxies"), recursive: true);
            var alone = Run("run", path, "--output", Path.Combine(_folder, "alone"), "--cache", cache, "--threads", "1");

            Assert.Equal((0, 0), (together.Code, alone.Code));
            Assert.Contains("saved", alone.Error.Split('\n').First(l => l.Contains("/proxies/", StringComparison.Ordinal)));
            foreach (var file in new[] { "curves.csv", "fits.csv" })
            {
                Assert.Equal(File.ReadAllText(Path.Combine(_folder, "together", file)), File.ReadAllText(Path.Combine(_folder, "alone", file)));
            }
        }
        finally
        {
            TorchRuntime.SetThreads(0);
        }
    }

    [Fact]
    public void EveryCommandHasHelp()
    {
        var commands = Leaves(OverOpt.Cli.Program.CreateRootCommand(), []).ToList();
        // Guards the walk: every command group's leaves, not only the top level.
        Assert.Contains(commands, c => c.SequenceEqual(["sweep", "k8s"]));
        Assert.Contains(commands, c => c.SequenceEqual(["evaluate", "bon"]));
        Assert.Contains(commands, c => c.SequenceEqual(["export", "onnx"]));
        foreach (var command in commands)
        {
            var (code, output, _) = Run([.. command, "--help"]);
            Assert.True(code == 0, string.Join(' ', command));
            Assert.Contains("Usage:", output);
            Assert.Contains(command[^1], output);
        }
    }

    /// <summary>The commands that run something (no subcommands of their own), each as the words that name it.</summary>
    private static IEnumerable<string[]> Leaves(System.CommandLine.Command command, string[] path) =>
        command.Subcommands.Count == 0
            ? [path]
            : command.Subcommands.SelectMany(c => Leaves(c, [.. path, c.Name]));

    [Fact]
    public void BenchSampleRefusesAnImpossibleShape()
    {
        var (code, _, error) = Run("bench", "sample", "--d-model", "30", "--heads", "4");

        Assert.Equal(2, code);
        Assert.Contains("field 'heads'", error);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
