using System.Diagnostics;
using Microsoft.ML;
using OverOpt.MLNet;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Pretraining;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;
using OverOpt.MLNet.Torch;
using OverOpt.MLNet.Trainers;
using static TorchSharp.torch;

// Usage: OverOpt.MLNet.StressJobs SECONDS. Two jobs at one libtorch thread each (TorchJobs, as the pipelines run them)
// repeat pretraining, sampling, reward-model training and PPO on tiny models until the time is up, while a third thread
// runs full garbage collections back to back. Exit 0 and a summary line when every job finished; a failed job's
// exception (or a native crash) otherwise.
double seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
TorchRuntime.EnsureLoaded();
var corpus = TextCorpus.FromLines("stress", TextCorpus.Bundled().Stories.Take(1000));
var deadline = Stopwatch.StartNew();
long collections = 0;
using var stop = new CancellationTokenSource();
var collector = new Thread(() =>
{
    while (!stop.IsCancellationRequested)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Interlocked.Increment(ref collections);
    }
}) { IsBackground = true };
collector.Start();

int Job(int seed)
{
    int rounds = 0;
    var ml = new MLContext(seed);
    while (deadline.Elapsed.TotalSeconds < seconds)
    {
        using var policy = ml.Policies().Pretrain(corpus, new PretrainingOptions
        {
            Shape = new GptShape { Layers = 1, ModelDim = 16, Heads = 2, Context = 16 },
            Steps = 10, BatchSize = 8, EvaluationInterval = 10, ValidationWindows = 8, Seed = seed + rounds,
        });
        var prompts = TextCorpus.Prompts(policy.Tokenizer, corpus.TrainStories, 4).Take(64).ToArray();
        using var generator = new Generator((ulong)(seed + rounds));
        var samples = PolicySampler.SampleAll(policy.Model, policy.Model, prompts, 4, new SamplingOptions { ResponseLength = 8, BatchSize = 64 }, generator);
        var rows = new List<ComparisonRow>();
        for (int i = 0; i + 1 < samples.Count; i += 2)
        {
            // Longer responses win: any fixed preference serves to train on.
            var (a, b) = (samples[i], samples[i + 1]);
            rows.Add(new ComparisonRow { PromptTokens = a.Prompt, ChosenTokens = a.Response, RejectedTokens = b.Response, ChosenGold = 1, RejectedGold = 0 });
        }
        var preferences = ml.RewardModels().ToPreferenceRows(ml.Data.LoadFromEnumerable(rows));
        using var proxy = ml.RewardModels().Trainers.Transformer(new TransformerRewardTrainer.Options
        {
            Tokenizer = policy.Tokenizer, Shape = new GptShape { Layers = 1, ModelDim = 8, Heads = 2, Context = 16 }, Epochs = 2, BatchSize = 4, Seed = seed,
        }).Fit(preferences);
        var promptRows = ml.Policies().PromptRows(prompts);
        var result = ml.Optimization().Ppo(new OverOpt.MLNet.Ppo.PpoTrainer.Options
        {
            InitialPolicy = policy, Reward = proxy, Steps = 3, BatchSize = 16, MiniBatches = 8, PpoEpochs = 2, ResponseLength = 8,
            EvaluationPoints = 1, EvaluationSamples = 16, LearningRate = 1e-3, Seed = seed,
        }).Fit(promptRows);
        result.Policy.Dispose();
        rounds++;
    }
    return rounds;
}

var rounds = TorchJobs.Run([() => Job(1), () => Job(2)], threadsPerJob: 1, threadBudget: 2);
stop.Cancel();
collector.Join();
Console.WriteLine($"stress: {rounds.Sum()} rounds of pretraining, sampling, reward-model training and PPO in two jobs side by side, {Interlocked.Read(ref collections)} full collections, {deadline.Elapsed.TotalSeconds:F1} s");
return 0;
