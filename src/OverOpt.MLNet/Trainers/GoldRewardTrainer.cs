using Microsoft.ML;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Trainers;

/// <summary>
/// Builds the gold reward model: a transformer <see cref="RewardNetwork"/> trained by regression to reproduce a world's
/// rule (<see cref="IPreferenceRule"/>; <see cref="GoldPreference"/> by default) on pi_init's samples and on edited
/// copies of them (the rule's rewarded and punished words inserted, words repeated), so that it judges the
/// out-of-distribution responses an optimizer finds as the rule does.
/// Normalized so pi_init's samples score mean 0, std 1.
/// </summary>
public sealed partial class GoldRewardTrainer : IEstimator<TransformerRewardModel>
{
    /// <summary>Changes whenever the training data is made differently (the edits), so that cached gold models are rebuilt.</summary>
    public const int TrainingDataVersion = 2;

    private readonly MLContext _ml;
    private readonly Options _options;

    /// <summary>Use <c>mlContext.RewardModels().Trainers.Gold</c>; nothing is trained until <see cref="Fit"/>.</summary>
    public GoldRewardTrainer(MLContext mlContext, Options options)
    {
        TorchRuntime.EnsureLoaded();
        options.Validate();
        _ml = mlContext;
        _options = options;
    }

    /// <summary>Prefix of gold's metrics, one per term of its rule: agreement over the held-out pairs in which the term is pivotal (<see cref="RuleTermAgreement"/>).</summary>
    public const string TermAgreementMetric = "heldOutTermAgreement.";

    /// <summary>Prefix of gold's metrics, one per term of its rule: how many held-out pairs that agreement is over (a count).</summary>
    public const string TermPairsMetric = "heldOutTermPairs.";

    /// <summary>
    /// Prefix of gold's metrics, one per term of its rule: the standard error of that agreement over the held-out
    /// samples' prompts (a rare term's pairs rest on the few responses that break it). Golds trained before it existed
    /// lack it, and their agreement was taken over the first 600 held-out samples only.
    /// </summary>
    public const string TermStandardErrorMetric = "heldOutTermAgreementStandardError.";

    /// <summary>Prefix of gold's metrics, one per rare term (<see cref="Options.RareTermShare"/>): the factor its breaks weigh by in the regression's error.</summary>
    public const string RareTermFactorMetric = "rareTermFactor.";

    /// <summary>Gold's metric: the correlation of its scores with the rule's on (at most <see cref="TrainingFitSamples"/>) pi_init samples it trained on, to set beside <c>heldOutSampleCorrelation</c>.</summary>
    public const string TrainingSampleCorrelationMetric = "trainingSampleCorrelation";

    /// <summary>How many of the training samples <see cref="TrainingSampleCorrelationMetric"/> reads: enough for a correlation to two decimals, few enough to cost seconds.</summary>
    private const int TrainingFitSamples = 2000;

    /// <summary>How faithfully the network reproduces the rule on held-out responses.</summary>
    public sealed record Report(double SampleCorrelation, double EditedCorrelation, double PairAgreement);

    /// <summary>
    /// Samples pi_init on the prompts of <paramref name="input"/> (its first <see cref="Options.Prompts"/> rows), adds
    /// edited copies, trains the network by regression on the rule's scores (standardized to mean 0, std 1), and returns
    /// gold, normalized on pi_init's samples; its fidelity on the held-out tenth is in <see cref="RewardModelInfo.Metrics"/>
    /// (<see cref="FidelityOf"/>).
    /// </summary>
    /// <param name="input">Training prompts, a column of token ids (<see cref="Options.PromptColumnName"/>); no evaluation prompt belongs here.</param>
    public TransformerRewardModel Fit(IDataView input)
    {
        var prompts = RewardDataChecks.ReadPrompts(input, _options.PromptColumnName, "training gold").Take(_options.Prompts).ToArray();
        var (policy, mlContext) = (_options.InitialPolicy!, _ml);
        var device = _options.Device ?? CPU;
        var tokenizer = policy.Tokenizer;
        using var generator = new Generator((ulong)_options.Seed, policy.Device);
        var samples = PolicySampler.SampleAll(policy.Model, policy.Model, prompts, _options.SamplesPerPrompt,
            new SamplingOptions { ResponseLength = _options.ResponseLength, Temperature = _options.Temperature }, generator, _options.Progress);

        var rule = _options.Rule ?? new GoldPreference(policy.Tokenizer, _options.Corpus!);
        var editor = new GoldEdits(tokenizer, rule.Edits, _options.ExchangeGroups);
        var edits = new Random(_options.Seed);
        var data = samples.Select(s => (Prompt: s.Prompt, Response: s.Response, Edited: false)).ToList();
        int editedCount = (int)(samples.Count * _options.EditedFraction / (1 - _options.EditedFraction));
        var exchangeable = _options.ExchangeFraction > 0 ? ExchangeableSamples(editor, samples, rule) : null;
        // The exchanges' responses, by reference, so that the balanced error can count them apart after the shuffle.
        var exchanges = new HashSet<int[]>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < editedCount; i++)
        {
            // No draw for an exchange where there are none, so that a gold without them keeps its numbers.
            bool exchange = exchangeable is not null && edits.NextDouble() < _options.ExchangeFraction;
            var source = exchange ? samples[exchangeable![edits.Next(exchangeable.Length)]] : samples[edits.Next(samples.Count)];
            var copy = exchange ? editor.Exchange(source.Response, edits) : editor.Apply(source.Response, edits);
            data.Add((source.Prompt, copy, true));
            if (exchange)
            {
                exchanges.Add(copy);
            }
        }
        new Random(SeedStreams.GoldDataShuffle(_options.Seed)).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(data));
        var targets = data.Select(d => rule.Score(d.Prompt, d.Response)).ToArray();
        double mean = targets.Average();
        double std = Math.Sqrt(targets.Select(t => (t - mean) * (t - mean)).Average());

        int held = data.Count / 10;
        var shape = _options.Shape with { VocabularySize = tokenizer.VocabularySize };
        var network = new RewardNetwork(shape, _options.Seed, _options.Readout);
        if (_options.PretrainedInitialization is { } pretrained)
        {
            network.InitializeBackbone(pretrained.Model);
        }
        network.to(device);
        var training = data.Skip(held).ToList();
        var terms = _options.TermLossWeight > 0 ? StandardizedTerms(rule, training, _options.TermLossTerms) : null;
        var standardized = targets.Skip(held).Select(t => (t - mean) / std).ToArray();
        var (weights, rareFactors) = ErrorWeights(rule, training, standardized, exchanges);
        Train(network, training, standardized, weights, terms, device);
        network.eval();

        var heldOut = data.Take(held).ToList();
        var predicted = new TransformerRewardScorer(network).Raw(heldOut.Select(h => h.Prompt).ToArray(), heldOut.Select(h => h.Response).ToArray(),
            progress: _options.Progress, stage: "score gold held-out");
        var fidelity = Evaluate(heldOut, predicted, targets.Take(held).ToArray());
        var metrics = new Dictionary<string, double>
        {
            ["heldOutSampleCorrelation"] = fidelity.SampleCorrelation,
            ["heldOutEditedCorrelation"] = fidelity.EditedCorrelation,
            ["heldOutPairAgreement"] = fidelity.PairAgreement,
        };
        // The same correlation on pi_init's samples gold trained on: beside the held-out one it shows how much of the fit is memory.
        var seen = Enumerable.Range(held, data.Count - held).Where(i => !data[i].Edited).Take(TrainingFitSamples).ToArray();
        var seenPredicted = new TransformerRewardScorer(network).Raw(seen.Select(i => data[i].Prompt).ToArray(), seen.Select(i => data[i].Response).ToArray());
        metrics[TrainingSampleCorrelationMetric] = Statistics.Correlation(seenPredicted.Select(p => (double)p).ToArray(), seen.Select(i => targets[i]).ToArray());
        var heldOutSamples = Enumerable.Range(0, held).Where(i => !heldOut[i].Edited).ToArray();
        foreach (var term in RuleTermAgreement.Measure(rule, heldOutSamples.Select(i => (heldOut[i].Prompt, heldOut[i].Response)).ToArray(), heldOutSamples.Select(i => predicted[i]).ToArray()))
        {
            metrics[TermAgreementMetric + term.Name] = term.Agreement;
            metrics[TermPairsMetric + term.Name] = term.Pairs;
            if (double.IsFinite(term.StandardError))
            {
                metrics[TermStandardErrorMetric + term.Name] = term.StandardError;
            }
        }
        foreach (var (term, factor) in rareFactors)
        {
            metrics[RareTermFactorMetric + term] = factor;
        }
        var piInit = data.Where(d => !d.Edited).ToArray();
        var info = new RewardModelInfo { Name = "gold", ValidationAccuracy = fidelity.PairAgreement, Metrics = metrics };
        return TransformerRewardModel.Create(mlContext, network, tokenizer, info, piInit.Select(d => d.Prompt).ToArray(), piInit.Select(d => d.Response).ToArray(), _options.Progress);
    }

    /// <summary>Checks that the input holds the prompt column; the model adds <c>Score</c> to rows with prompt and response.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        RewardDataChecks.RequireTokenColumn(inputSchema, _options.PromptColumnName, "training gold");
        return RewardSchemas.WithScore(_ml, inputSchema);
    }

    /// <summary>The fidelity a gold model of this trainer recorded: how faithfully it reproduces the rule on held-out responses.</summary>
    public static Report FidelityOf(RewardModel gold) => new(
        gold.Info.Metrics["heldOutSampleCorrelation"], gold.Info.Metrics["heldOutEditedCorrelation"], gold.Info.Metrics["heldOutPairAgreement"]);

    /// <summary>
    /// Each training row's weight in the regression's error (<see cref="Options.BalancedError"/>,
    /// <see cref="Options.RareTermShare"/>), or null for the plain mean squared error; and each rare term's factor.
    /// </summary>
    private (float[]? Weights, IReadOnlyDictionary<string, double> RareFactors) ErrorWeights(IPreferenceRule rule,
        IReadOnlyList<(int[] Prompt, int[] Response, bool Edited)> training, double[] standardized, HashSet<int[]> exchanges)
    {
        var edited = training.Select(d => d.Edited).ToArray();
        var weights = !_options.BalancedError ? null
            : _options.BalancedExchanges ? GoldErrorWeights.Of(training.Select(d => exchanges.Contains(d.Response) ? 2 : d.Edited ? 1 : 0).ToArray(), standardized)
            : GoldErrorWeights.Of(edited, standardized);
        if (!(_options.RareTermShare > 0))
        {
            return (weights, new Dictionary<string, double>());
        }
        return RareTermWeights.Apply(weights, edited, training.Select(d => rule.Terms(d.Prompt, d.Response)).ToArray(), _options.RareTermShare);
    }

    /// <summary>The indexes of pi_init's samples that hold a word to exchange; an error where the rule or the samples have none.</summary>
    private static int[] ExchangeableSamples(GoldEdits editor, IReadOnlyList<PolicySample> samples, IPreferenceRule rule)
    {
        if (!editor.HasExchanges)
        {
            throw new OverOptConfigurationException($"exchangeFraction is set, but the rule ({rule.Key}) has no words to exchange.", "exchangeFraction",
                "leave it out: exchanges need a rule whose words state facts of the story (storyworld's), not tinytales's.");
        }
        var holding = Enumerable.Range(0, samples.Count).Where(i => editor.CanExchange(samples[i].Response)).ToArray();
        return holding.Length > 0 ? holding
            : throw new OverOptConfigurationException($"exchangeFraction is set, but none of pi_init's {samples.Count} samples holds a word to exchange.", "exchangeFraction",
                "leave it out, or give responses long enough to reach the story's end (sampling.responseLength), where its feelings are stated.");
    }

    /// <summary>Each term of the rule on each training row, standardized over the rows; terms constant on them are left out.</summary>
    private static float[][] StandardizedTerms(IPreferenceRule rule, IReadOnlyList<(int[] Prompt, int[] Response, bool Edited)> data, string[]? named)
    {
        var rows = data.Select(d => rule.Terms(d.Prompt, d.Response)).ToArray();
        if (named?.FirstOrDefault(n => !rows[0].ContainsKey(n)) is { } unknown)
        {
            throw new OverOptConfigurationException($"termLossTerms names '{unknown}', which the rule does not have.", "termLossTerms",
                $"use the rule's terms: {string.Join(", ", rows[0].Keys)}.");
        }
        var all = rows[0].Keys.Select(name => (Name: name, Values: rows.Select(r => r[name]).ToArray()))
            .Select(c => (c.Name, c.Values, Mean: c.Values.Average(), Std: Statistics.StandardDeviation(c.Values)))
            .ToArray();
        // A term named but constant would silently get no head; a term left to "every term" may be dropped.
        if (named?.FirstOrDefault(n => all.Single(c => c.Name == n).Std == 0) is { } constant)
        {
            throw new OverOptConfigurationException($"termLossTerms names '{constant}', which is the same on all {rows.Length} of gold's training rows, so its head would have nothing to learn.",
                "termLossTerms", $"name terms that vary on them: {string.Join(", ", all.Where(c => c.Std > 0).Select(c => c.Name))}.");
        }
        var columns = all.Where(c => (named is null || named.Contains(c.Name)) && c.Std > 0).ToArray();
        return rows.Select((_, i) => columns.Select(c => (float)((c.Values[i] - c.Mean) / c.Std)).ToArray()).ToArray();
    }

    private void Train(RewardNetwork network, IReadOnlyList<(int[] Prompt, int[] Response, bool Edited)> data, double[] targets, float[]? weights, float[][]? terms, Device device)
    {
        // The per-term head starts at zero, so the first steps are the total's alone; it is dropped after training.
        using var termHead = terms is { Length: > 0 } && terms[0].Length > 0 ? nn.Linear(network.FeatureCount, terms[0].Length) : null;
        if (termHead is not null)
        {
            using var noGrad = no_grad();
            termHead.weight!.zero_();
            termHead.bias!.zero_();
            termHead.to(device);
        }
        // Hashing the rows and weights is wasted where no checkpoint is kept.
        string fingerprint = _options.CheckpointDirectory is null ? "" : GoldCheckpoint.Fingerprint(_options, data, targets, network);
        using var optimizer = new AdamOptimizer(network.parameters().Concat(termHead?.parameters() ?? []), _options.LearningRate, weightDecay: 0.01);
        var modules = termHead is null ? new nn.Module[] { network } : [network, termHead];
        var order = new Random(SeedStreams.GoldBatchOrder(_options.Seed));
        var pairs = _options.PairLossWeight > 0 ? new GoldSamplePairs(data, targets, SeedStreams.GoldPairOrder(_options.Seed)) : null;
        int pairCount = pairs is null ? 0 : _options.BatchSize / 4;
        (int[] Rows, (int Preferred, int Other)[] Pairs) Draw() => (
            Enumerable.Range(0, _options.BatchSize - 2 * pairCount).Select(_ => order.Next(data.Count)).ToArray(), pairs?.Draw(pairCount) ?? []);
        var restored = Restore(fingerprint, modules, optimizer);
        // The draws are replayed rather than saved: the resumed steps then see the batches an uninterrupted run sees.
        for (int step = 1; step <= (restored?.Step ?? 0); step++)
        {
            Draw();
        }
        network.train();
        double running = restored?.RunningLoss ?? double.NaN;
        for (int step = (restored?.Step ?? 0) + 1; step <= _options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.LearningRate = LearningRateSchedule.At(step, _options.Steps, _options.Steps / 20, _options.LearningRate);
            // The pairs ride in the same forward pass, after the regression's rows: (first, second) of pair k at
            // rows batch.Length + 2k and + 2k + 1, the first the one the rule prefers.
            var (batch, paired) = Draw();
            var rows = batch.Concat(paired.SelectMany(p => new[] { p.Preferred, p.Other })).ToArray();
            var sequences = Trainers.TransformerRewardTrainer.Sequences(rows.Select(i => data[i].Prompt.Concat(data[i].Response)), device);
            using var cpuTarget = tensor(batch.Select(i => (float)targets[i]).ToArray());
            var target = cpuTarget.to(device);
            var features = network.Features(sequences);
            var scores = network.Score(features);
            var regressed = scores.narrow(0, 0, batch.Length);
            var loss = weights is null ? nn.functional.mse_loss(regressed, target) : WeightedSquaredError(regressed, target, batch.Select(i => weights[i]).ToArray(), device);
            if (paired.Length > 0)
            {
                var both = scores.narrow(0, batch.Length, 2 * paired.Length).reshape(paired.Length, 2);
                var margin = both.select(1, 0) - both.select(1, 1);
                loss = loss.Plus(margin.neg().Softplus().mean().Times(_options.PairLossWeight));
            }
            if (termHead is not null)
            {
                using var cpuTerms = tensor(batch.SelectMany(i => terms![i]).ToArray(), [batch.Length, terms![0].Length]);
                loss = loss.Plus(nn.functional.mse_loss(termHead.forward(features.narrow(0, 0, batch.Length)), cpuTerms.to(device)).Times(_options.TermLossWeight));
            }
            optimizer.ZeroGrad();
            loss.backward();
            nn.utils.clip_grad_norm_(network.parameters(), 1.0);
            optimizer.Step();
            double value = loss.item<float>();
            running = double.IsNaN(running) ? value : 0.95 * running + 0.05 * value;
            if (step % 50 == 0 || step == _options.Steps)
            {
                _options.Progress?.Report(new ProgressUpdate("train gold", step, _options.Steps, termHead is null && pairs is null && weights is null ? $"mse {running:F4}" : $"loss {running:F4}"));
            }
            if (_options.CheckpointDirectory is { } directory && (step % _options.CheckpointInterval == 0 || step == _options.Steps))
            {
                TrainingCheckpoint.Write(GoldCheckpoint.PathIn(directory), GoldCheckpoint.Kind, fingerprint, modules, optimizer, new TrainerCheckpoint.LoopState(step, running));
            }
        }
    }

    /// <summary>The checkpoint of this training restored into the modules and optimizer, or null (none, or none readable: a warning says so).</summary>
    private TrainerCheckpoint.LoopState? Restore(string fingerprint, nn.Module[] modules, AdamOptimizer optimizer)
        => _options.CheckpointDirectory is { } directory
            ? TrainerCheckpoint.Restore(_ml, nameof(GoldRewardTrainer), GoldCheckpoint.PathIn(directory), GoldCheckpoint.Kind, fingerprint, modules, optimizer, _options.Progress, "train gold", _options.Steps)
            : null;

    private static Tensor WeightedSquaredError(Tensor scores, Tensor target, float[] weights, Device device)
    {
        using var cpuWeights = tensor(weights);
        var error = scores.Minus(target);
        return (error * error * cpuWeights.to(device)).mean();
    }

    private static Report Evaluate(IReadOnlyList<(int[] Prompt, int[] Response, bool Edited)> held, float[] predicted, double[] rule)
    {
        double Correlation(bool edited)
        {
            var index = Enumerable.Range(0, held.Count).Where(i => held[i].Edited == edited).ToArray();
            return Statistics.Correlation(index.Select(i => (double)predicted[i]).ToArray(), index.Select(i => rule[i]).ToArray());
        }
        var samples = Enumerable.Range(0, held.Count).Where(i => !held[i].Edited).ToArray();
        int agree = 0, pairs = 0;
        for (int k = 0; k + 1 < samples.Length; k += 2)
        {
            int a = samples[k], b = samples[k + 1];
            if (rule[a] == rule[b])
            {
                continue;
            }
            pairs++;
            agree += (predicted[a] > predicted[b]) == (rule[a] > rule[b]) ? 1 : 0;
        }
        return new Report(Correlation(false), Correlation(true), pairs == 0 ? double.NaN : (double)agree / pairs);
    }
}
