using System.Text.Json.Nodes;
using OverOpt.Experiments.Settings;
using OverOpt.Experiments.Sweeps.Definition;
using OverOpt.Experiments.Sweeps.Execution;
using OverOpt.Experiments.Sweeps.Storage;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Experiments.Tests;

/// <summary>
/// Sweeps of sweeps (one file listing the studies' sweep files, one grid of tasks, one database) and the proxySeed
/// field's place in a task's hash: left out while null, so every existing task keeps its hash.
/// </summary>
[Trait(Speed.Category, Speed.Fast)]
public sealed class SweepUnionTests : IDisposable
{
    private readonly SweepTestFiles _files = new("overopt-union-");

    [Fact]
    public void ASweepOfSweepsRunsEachPartsTasksOnceInTheListedOrder()
    {
        File.WriteAllText(Path.Combine(_files.Folder, "tiny.json"), SweepTestFiles.PolicyOnlyPipeline);
        File.WriteAllText(Path.Combine(_files.Folder, "a.sweep.json"), """{ "name": "a", "base": "tiny.json", "axes": { "seed": [1, 2] } }""");
        File.WriteAllText(Path.Combine(_files.Folder, "b.sweep.json"), """{ "name": "b", "base": "tiny.json", "axes": { "seed": [2, 3], "proxySeed": [5] } }""");
        File.WriteAllText(Path.Combine(_files.Folder, "c.sweep.json"), """{ "name": "c", "base": "tiny.json", "axes": { "seed": [2] } }""");
        string path = Path.Combine(_files.Folder, "all.json");
        File.WriteAllText(path, """
            // every study at once
            { "name": "all", "sweeps": [ "a.sweep.json", "b.sweep.json", "c.sweep.json" ] }
            """);

        var sweep = SweepLoader.Load(path);
        var merged = SweepDatabase.Merge(sweep, new SweepLayout(_files.Output), t => $"rerun {t.Index}");

        // c's only task is a's task 1: it runs once, as a's.
        Assert.Equal(["a", "b", "c"], sweep.Parts.Select(p => p.Name));
        Assert.Equal(["a: seed=1", "a: seed=2", "b: seed=2, proxySeed=5", "b: seed=3, proxySeed=5"], sweep.Tasks.Select(t => t.Label));
        Assert.Equal([0, 1, 2, 3], sweep.Tasks.Select(t => t.Index));
        Assert.Equal([(1, (int?)null), (2, null), (2, 5), (3, 5)], sweep.Tasks.Select(t => (t.Pipeline.Seed, t.Pipeline.ProxySeed)));
        Assert.Equal(["seed", "proxySeed"], sweep.Axes.Select(a => a.Path.Text));
        Assert.Equal(3, sweep.Axes[0].Values.Count);
        Assert.Equal(SweepLoader.Load(Path.Combine(_files.Folder, "a.sweep.json")).Tasks[1].Hash, sweep.Tasks[1].Hash);
        Assert.Equal(["0|a|1|", "1|a|2|", "2|b|2|5", "3|b|3|5"],
            SweepDatabase.Query(merged.DatabasePath, "SELECT task_index, part, seed, proxy_seed FROM runs ORDER BY task_index",
                r => string.Join('|', Enumerable.Range(0, 4).Select(i => r.IsDBNull(i) ? "" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)))));
        // Prepared by pipeline seed: the proxy seed does not split a group.
        Assert.Equal([[0], [1, 2], [3]], SweepPreparation.Groups(sweep).Select(g => g.Tasks.Select(t => t.Index).ToArray()));
        string parts = SweepDatabase.Query(merged.DatabasePath, "SELECT parts FROM sweep", r => r.GetString(0)).Single();
        Assert.Equal([2, 2, 0], JsonNode.Parse(parts)!.AsArray().Select(p => p!["tasks"]!.GetValue<int>()));
    }

    [Fact]
    public void ASweepOfSweepsHasNoBaseOrAxesAndItsPartsAreGrids()
    {
        File.WriteAllText(Path.Combine(_files.Folder, "tiny.json"), SweepTestFiles.PolicyOnlyPipeline);
        File.WriteAllText(Path.Combine(_files.Folder, "a.sweep.json"), """{ "name": "a", "base": "tiny.json", "axes": { "seed": [1, 2] } }""");
        File.WriteAllText(Path.Combine(_files.Folder, "nested.json"), """{ "sweeps": [ "a.sweep.json" ] }""");
        string Write(string json)
        {
            string path = Path.Combine(_files.Folder, "bad.json");
            File.WriteAllText(path, json);
            return path;
        }

        var withBase = Assert.Throws<OverOptConfigurationException>(() => SweepLoader.Load(Write("""{ "base": "tiny.json", "sweeps": [ "a.sweep.json" ] }""")));
        var nested = Assert.Throws<OverOptConfigurationException>(() => SweepLoader.Load(Write("""{ "sweeps": [ "nested.json" ] }""")));
        var missing = Assert.Throws<OverOptConfigurationException>(() => SweepLoader.Load(Write("""{ "sweeps": [ "a.sweep.json", "none.json" ] }""")));

        Assert.Equal("base", withBase.Field);
        Assert.Equal(("sweeps[0]", true), (nested.Field, nested.Problem.Contains("itself a sweep of sweeps", StringComparison.Ordinal)));
        Assert.Equal("sweeps[1]", missing.Field);
    }

    [Fact]
    public void NullProxySeedThreadsPerJobReadoutsGoldKindAndWorldAreLeftOutOfTheHashedTextSoExistingTasksKeepTheirHashes()
    {
        var plain = PipelineLoader.Parse(SweepTestFiles.RewardPipeline, "tiny.json");
        var seeded = PipelineLoader.Parse(SweepTestFiles.RewardPipeline.Replace("\"name\": \"tiny\",", "\"name\": \"tiny\", \"proxySeed\": 2, \"threadsPerJob\": 1,", StringComparison.Ordinal), "tiny.json");
        seeded.Proxies[0].Readout = "meanPoolAndLikelihood";
        seeded.Gold!.Readout = "meanPoolAndLikelihood";
        seeded.Gold.TermLossWeight = 1;
        seeded.Gold.TermLossTerms = ["effect"];
        seeded.Gold.ExchangeFraction = 0.5;
        seeded.Gold.ExchangeGroups = ["pronouns"];
        seeded.Gold.Seed = 3;
        seeded.Gold.PairLossWeight = 1;
        seeded.Gold.BalancedError = true;
        seeded.Gold.BalancedExchanges = true;
        seeded.Gold.RareTermShare = 0.05;
        seeded.Gold.Kind = GoldSpec.RuleKind;
        seeded.World = new WorldSpec { Version = "storyworld-1" };

        // The hashed text is the whole configuration as before the fields existed: every field but a null proxySeed,
        // threadsPerJob, proxy and gold readout, gold's term loss weight, terms, exchange fraction and groups, balanced exchanges, rare term share, seed and kind, world, direct alignment, iterated RLHF, the noisyGold
        // and ensemble settings of a proxy, and the comparisons' validationCount.
        var node = CanonicalJson.ToNode(plain).AsObject();
        Assert.True(node.ContainsKey("proxySeed") && node.ContainsKey("threadsPerJob") && node.ContainsKey("world"));
        node.Remove("proxySeed");
        node.Remove("threadsPerJob");
        node.Remove("world");
        // Sections and proxy settings added later still (direct alignment; gold plus noise and ensembles), null here.
        Assert.True(node.Remove("directAlignment") && node.Remove("iteratedRlhf"));
        Assert.True(node["gold"]!.AsObject().Remove("readout") && node["gold"]!.AsObject().Remove("termLossWeight") && node["gold"]!.AsObject().Remove("termLossTerms")
            && node["gold"]!.AsObject().Remove("exchangeFraction") && node["gold"]!.AsObject().Remove("exchangeGroups") && node["gold"]!.AsObject().Remove("seed")
            && node["gold"]!.AsObject().Remove("pairLossWeight") && node["gold"]!.AsObject().Remove("balancedError") && node["gold"]!.AsObject().Remove("balancedExchanges")
            && node["gold"]!.AsObject().Remove("rareTermShare") && node["gold"]!.AsObject().Remove("kind"));
        Assert.True(node["comparisons"]!.AsObject().Remove("validationCount"));
        foreach (var proxy in node["proxies"]!.AsArray())
        {
            Assert.True(proxy!.AsObject().Remove("readout"));
            foreach (string field in new[] { "noise", "noiseDistribution", "degreesOfFreedom", "of", "members", "objective", "uncertaintyPenalty" })
            {
                Assert.True(proxy.AsObject().Remove(field), field);
            }
        }
        Assert.Equal(CanonicalJson.ToText(node), CanonicalJson.ToText(plain));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(CanonicalJson.ToText(seeded), "\"readout\":\"meanPoolAndLikelihood\""));
        Assert.Contains("\"termLossWeight\":1", CanonicalJson.ToText(seeded), StringComparison.Ordinal);
        Assert.Contains("\"termLossTerms\":[\"effect\"]", CanonicalJson.ToText(seeded), StringComparison.Ordinal);
        Assert.Contains("\"exchangeFraction\":0.5", CanonicalJson.ToText(seeded), StringComparison.Ordinal);
        Assert.Contains("\"exchangeGroups\":[\"pronouns\"]", CanonicalJson.ToText(seeded), StringComparison.Ordinal);
        Assert.Contains("\"seed\":3", CanonicalJson.ToText(seeded), StringComparison.Ordinal);
        Assert.Contains("\"pairLossWeight\":1", CanonicalJson.ToText(seeded), StringComparison.Ordinal);
        Assert.Contains("\"balancedError\":true", CanonicalJson.ToText(seeded), StringComparison.Ordinal);
        Assert.Contains("\"balancedExchanges\":true", CanonicalJson.ToText(seeded), StringComparison.Ordinal);
        Assert.Contains("\"rareTermShare\":0.05", CanonicalJson.ToText(seeded), StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"rule\"", CanonicalJson.ToText(seeded), StringComparison.Ordinal);
        Assert.DoesNotContain("isRule", CanonicalJson.ToText(seeded), StringComparison.OrdinalIgnoreCase);
        // A world's own null fields (seed, stories, corpus seed, word taste) are left out too, so adding one later keeps hashes.
        Assert.Contains("\"world\":{\"version\":\"storyworld-1\"}", CanonicalJson.ToText(seeded), StringComparison.Ordinal);
        Assert.Contains("\"proxySeed\":2", CanonicalJson.ToText(seeded), StringComparison.Ordinal);
        Assert.Contains("\"threadsPerJob\":1", CanonicalJson.ToText(seeded), StringComparison.Ordinal);
        Assert.Equal((1, 1), (plain.EffectiveThreadsPerJob, seeded.EffectiveThreadsPerJob));
        Assert.Equal((1, 2), (seeded.Seed, seeded.EffectiveProxySeed));
        Assert.Equal(1, plain.EffectiveProxySeed);
    }

    [Fact]
    public void TheStudySweepsHaveTheTasksTheirCommentsCount()
    {
        SweepDefinition Load(string name) => SweepLoader.Load(Repository.File($"pipelines/{name}"));
        var size = Load("rm-size.sweep.json");
        var data = Load("data-size.sweep.json");
        var penalty = Load("kl-penalty.sweep.json");
        var policy = Load("policy-size.sweep.json");
        var epochs = Load("data-epochs.sweep.json");
        var paper = Load("paper.json");

        // Six transformer sizes on three proxy seeds, BoN and PPO (one PPO seed), one proxy a task.
        Assert.Equal(18, size.Tasks.Count);
        Assert.Equal(6, size.Tasks.Select(t => t.Pipeline.Proxies.Single()).Where(p => p.Kind == "transformer").Select(p => (p.Layers, p.ModelDim)).Distinct().Count());
        Assert.All(size.Tasks, t => Assert.Equal([1], t.Pipeline.Ppo.Seeds));
        Assert.Equal([1, 2, 3], size.Tasks.Select(t => t.Pipeline.EffectiveProxySeed).Distinct().Order());
        // Six counts over 1.5 orders of magnitude x three sizes x three proxy seeds, best-of-n only.
        Assert.Equal(54, data.Tasks.Count);
        var counts = data.Tasks.Select(t => t.Pipeline.Comparisons.Count).Distinct().Order().ToList();
        Assert.Equal(6, counts.Count);
        Assert.True(Math.Log10((double)counts[^1] / counts[0]) >= 1.5);
        Assert.All(data.Tasks, t => Assert.Empty(t.Pipeline.PpoProxies));
        Assert.Equal((12, 3), (penalty.Tasks.Count, policy.Tasks.Count));
        // Every repeated-data run saw as many comparisons as a 4-epoch data-size run of its shape on distinct data.
        Assert.Equal(36, epochs.Tasks.Count);
        var distinct = data.Tasks.Select(t => (t.Pipeline.Proxies.Single().ModelDim, t.Pipeline.Proxies.Single().Epochs, t.Pipeline.Comparisons.Count)).ToHashSet();
        Assert.All(epochs.Tasks.Select(t => (Proxy: t.Pipeline.Proxies.Single(), t.Pipeline.Comparisons.Count)), r =>
        {
            Assert.True(r.Proxy.Epochs > 4);
            Assert.Contains((r.Proxy.ModelDim, 4, r.Count * r.Proxy.Epochs / 4), distinct);
        });
        // One world: every task of every study on pipeline seed 1 with the same gold.
        Assert.Equal(120, paper.Tasks.Count);
        Assert.Equal(["rm-size-study", "data-size-study", "kl-penalty-study", "policy-size-study", "data-epochs-study"], paper.Parts.Select(p => p.Name));
        Assert.All(paper.Tasks, t => Assert.Equal((1, 4, 128), (t.Pipeline.Seed, t.Pipeline.Gold!.Layers, t.Pipeline.Gold.ModelDim)));
        Assert.Equal(2, SweepPreparation.Groups(paper).Count);
    }

    public void Dispose() => _files.Dispose();
}
