using System.Globalization;
using Microsoft.ML;
using OverOpt.Experiments.Analysis.Studies;
using OverOpt.Experiments.Files;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Torch;
using static TorchSharp.torch;

namespace WorldPilot;

/// <summary>
/// Would a reward model that reads where its language model is surprised use what that model knows? The <c>reads</c>
/// mode found a sweep's likelihood-reading proxies flat on the pairs that sombre cheer decides: one sum of log-likelihood
/// hides one unlikely cheer word among twenty-odd tokens. For each finished task of <c>--tasks</c> and each of its proxies'
/// frozen language models, two linear <see cref="SurpriseProbe"/>s are fitted on the task's training comparisons and read
/// on its validation ones as <c>reads</c> reads the proxies: <c>likelihood</c> (bag of words and the response's
/// log-likelihood, what the likelihood readout gives its head) and <c>wordSurprise</c> (the same and, per vocabulary word,
/// the surprise in nats summed over the response's tokens of that word: a head can then learn that a cheer word the
/// language model did not expect costs). Writes word-surprise.csv and prints the agreement by size with seed intervals.
/// </summary>
internal static class PilotWordSurprise
{
    public static void Run(Flags flags)
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.SetThreads(flags.Int("threads", 1));
        string tasks = flags.TasksFolder();
        string output = flags.String("out", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tasks))!, "sombre-reads"));
        Directory.CreateDirectory(output);
        var rows = new List<WordSurpriseRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in SweepTask.Finished(tasks))
        {
            int before = rows.Count;
            rows.AddRange(Read(task, seen));
            Console.WriteLine(string.Join("\n", rows.Skip(before).Select(r => "  " + r)));
        }
        string csv = Path.Combine(output, "word-surprise.csv");
        File.WriteAllLines(csv, new[] { WordSurpriseRow.Header }.Concat(rows.Select(r => r.ToCsv())));
        Console.WriteLine($"wrote {csv}");
        Summarize(rows);
    }

    /// <summary>
    /// The probes of <paramref name="task"/>'s proxies whose comparisons and frozen language model are not in
    /// <paramref name="seen"/>. The proxy seed seeds a proxy's head and its order of comparisons, neither of which a probe
    /// reads, so a world's tasks share both and their probes would repeat: each pair of them is probed once, and only the
    /// world seeds are replicates.
    /// </summary>
    private static IEnumerable<WordSurpriseRow> Read(SweepTask task, ISet<string> seen)
    {
        string comparisonsFile = Path.Combine(task.Folder, OutputFiles.Comparisons);
        string comparisons = ModelArchive.Sha256(File.ReadAllBytes(comparisonsFile));
        (SweepComparisons.Pair[] Train, SweepComparisons.Pair[] Validation, SombrePairTruth[] Truth)? data = null;
        var ml = new MLContext(1);
        foreach (string path in task.ProxyFiles())
        {
            using var model = RewardModel.Load(ml, path);
            if (model is not TransformerRewardModel { Network.Readout: RewardReadout.MeanPoolAndLikelihood } proxy
                || !seen.Add(comparisons + proxy.LanguageModelFingerprint))
            {
                continue;
            }
            data ??= ReadComparisons(task);
            var (train, validation, truth) = data.Value;
            var trainSurprise = Surprises(proxy, train);
            var validationSurprise = Surprises(proxy, validation);
            foreach (var probe in new[] { "likelihood", "wordSurprise" })
            {
                bool perWord = probe == "wordSurprise";
                var fitted = SurpriseProbe.Fit(trainSurprise.Select(p => SurpriseProbe.Difference(p.Chosen.Features(perWord), p.Rejected.Features(perWord))).ToArray());
                var margins = validationSurprise.Select(p => fitted.Margin(SurpriseProbe.Difference(p.Chosen.Features(perWord), p.Rejected.Features(perWord)))).ToArray();
                var metrics = PairwiseMetrics.FromMargins(margins);
                double Agreement(Func<SombrePairTruth, bool> kind)
                {
                    var of = Enumerable.Range(0, truth.Length).Where(i => kind(truth[i])).ToArray();
                    return of.Length == 0 ? double.NaN : of.Average(i => truth[i].Agreement(margins[i], 0));
                }
                yield return new WordSurpriseRow(task.World.EffectiveSeed, task.Pipeline.EffectiveProxySeed, proxy.Name, proxy.Info.Parameters, probe,
                    truth.Count(t => t.Pivotal), Agreement(t => t.Pivotal), truth.Count(t => t.WelcomePivotal), Agreement(t => t.WelcomePivotal),
                    Agreement(t => !t.Pivotal && !t.WelcomePivotal && t.Difference != 0), metrics.PairwiseAccuracy);
            }
        }
    }

    private static (SweepComparisons.Pair[] Train, SweepComparisons.Pair[] Validation, SombrePairTruth[] Truth) ReadComparisons(SweepTask task)
    {
        var reader = task.SombreReader();
        var validation = SweepComparisons.Read(task.Folder, "validation");
        return (SweepComparisons.Read(task.Folder, "train"), validation, validation.Select(pair => SombrePairTruth.Of(reader, pair)).ToArray());
    }

    /// <summary>What the frozen language model of <paramref name="proxy"/> makes of each pair's two responses.</summary>
    private static (ResponseSurprise Chosen, ResponseSurprise Rejected)[] Surprises(TransformerRewardModel proxy, IReadOnlyList<SweepComparisons.Pair> pairs)
    {
        var tokenizer = proxy.Tokenizer;
        var prompts = pairs.Select(p => tokenizer.Encode(p.Prompt)).ToArray();
        var chosen = Of(proxy.Network, prompts, pairs.Select(p => tokenizer.Encode(p.Chosen)).ToArray());
        var rejected = Of(proxy.Network, prompts, pairs.Select(p => tokenizer.Encode(p.Rejected)).ToArray());
        return chosen.Zip(rejected).ToArray();
    }

    private static ResponseSurprise[] Of(RewardNetwork network, int[][] prompts, int[][] responses, int batchSize = 256)
    {
        var result = new ResponseSurprise[prompts.Length];
        var device = network.parameters().First().device;
        int vocabulary = (int)network.Shape.VocabularySize;
        for (int start = 0; start < prompts.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(batchSize, prompts.Length - start);
            var sequences = Enumerable.Range(start, count).Select(i => prompts[i].Concat(responses[i]).ToArray()).ToArray();
            var logProbabilities = network.LanguageTokenLogProbabilities(TokenTensors.Stack(sequences, device)).cpu().data<float>().ToArray();
            int predicted = sequences[0].Length - 1;
            for (int i = 0; i < count; i++)
            {
                var response = responses[start + i];
                // The response's tokens are the last of each sequence; position t predicts token t + 1.
                var surprise = response.Select((_, j) => -(double)logProbabilities[i * predicted + predicted - response.Length + j]).ToArray();
                result[start + i] = new ResponseSurprise(response, surprise, vocabulary);
            }
        }
        return result;
    }

    /// <summary>A response's tokens and the surprise (nats) of each under a language model.</summary>
    private sealed record ResponseSurprise(int[] Tokens, double[] Surprise, int Vocabulary)
    {
        /// <summary>Bag of words and the log-likelihood; with <paramref name="perWord"/>, then each word's summed surprise.</summary>
        public double[] Features(bool perWord)
        {
            var words = SurpriseProbe.Features(Tokens, Vocabulary, -Surprise.Sum());
            if (!perWord)
            {
                return words;
            }
            var surprise = new double[Vocabulary];
            for (int j = 0; j < Tokens.Length; j++)
            {
                surprise[Tokens[j]] += Surprise[j];
            }
            return [.. words, .. surprise];
        }
    }

    private static void Summarize(IReadOnlyList<WordSurpriseRow> rows)
    {
        static string Interval(SeedSummary s) => $"{s.Mean:F3} [{s.Low:F3}, {s.High:F3}]";
        foreach (var probe in rows.GroupBy(r => r.Probe))
        {
            Console.WriteLine($"\nprobe {probe.Key}: proxy | parameters | replicates | agreement where sombre cheer decides [95%] | where welcome cheer decides | the mean of the two | elsewhere | validation accuracy");
            foreach (var size in probe.GroupBy(r => r.Proxy).OrderBy(g => g.First().Parameters))
            {
                Console.WriteLine($"{size.Key} | {size.First().Parameters:N0} | {size.Count()} | {Interval(SeedSummary.Of(size.Select(r => r.SombreAgreement)))} | "
                    + $"{Interval(SeedSummary.Of(size.Select(r => r.WelcomeAgreement)))} | {Interval(SeedSummary.Of(size.Select(r => r.MeanOfTwo)))} | "
                    + $"{Interval(SeedSummary.Of(size.Select(r => r.OtherAgreement)))} | {Interval(SeedSummary.Of(size.Select(r => r.ValidationAccuracy)))}");
            }
            ScalingLine? Slope(IEnumerable<WordSurpriseRow> of) => ScalingLine.Fit(of.Where(r => double.IsFinite(r.MeanOfTwo)).Select(r => (Math.Log10(r.Parameters), r.MeanOfTwo)));
            Console.WriteLine($"the mean of the two, per decade of parameters: pooled {Slope(probe)?.SlopeInterval("F3")}; "
                + string.Join(", ", probe.GroupBy(r => r.World).OrderBy(g => g.Key).Select(w => $"world {w.Key} {Slope(w)?.SlopeInterval("F3")}")));
        }
        // Paired by replicate (world, proxy seed): what reading per-word surprise adds to the likelihood probe.
        Console.WriteLine("\nwordSurprise minus likelihood, the mean of the two, paired by replicate:");
        foreach (var size in rows.GroupBy(r => r.Proxy).OrderBy(g => g.First().Parameters))
        {
            var gains = size.GroupBy(r => (r.World, r.ProxySeed))
                .Select(g => g.Single(r => r.Probe == "wordSurprise").MeanOfTwo - g.Single(r => r.Probe == "likelihood").MeanOfTwo);
            Console.WriteLine($"{size.Key} | {Interval(SeedSummary.Of(gains))}");
        }
    }
}

/// <summary>One probe on one proxy's language model of one sweep task: agreement with the reader by kind of pair, as in <see cref="SombreReadRow"/>.</summary>
internal sealed record WordSurpriseRow(
    int World, int ProxySeed, string Proxy, long Parameters, string Probe,
    int SombrePairs, double SombreAgreement, int WelcomePairs, double WelcomeAgreement, double OtherAgreement, double ValidationAccuracy)
{
    public const string Header = "world,proxy_seed,proxy,parameters,probe,sombre_pairs,sombre_agreement,welcome_pairs,welcome_agreement,other_agreement,validation_accuracy";

    public double MeanOfTwo => (SombreAgreement + WelcomeAgreement) / 2;

    public string ToCsv() => string.Join(",", World, ProxySeed, Proxy, Parameters, Probe, SombrePairs, F(SombreAgreement), WelcomePairs, F(WelcomeAgreement), F(OtherAgreement), F(ValidationAccuracy));

    public override string ToString()
        => $"world {World} seed {ProxySeed} {Proxy,-8} {Probe,-12} sombre {SombreAgreement:F3} ({SombrePairs}) welcome {WelcomeAgreement:F3} ({WelcomePairs}) elsewhere {OtherAgreement:F3} accuracy {ValidationAccuracy:F3}";

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
