using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using OverOpt.MLNet;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Pretraining;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Text;

namespace OverOpt.Cli.Commands;

/// <summary><c>overopt pretrain</c>: trains pi_init on a corpus and saves it as a policy .zip.</summary>
internal static class PretrainCommand
{
    public static Command Create()
    {
        var defaults = new PretrainingOptions();
        var layers = new Option<int>("--layers") { Description = "Transformer blocks.", DefaultValueFactory = _ => defaults.Shape.Layers };
        var modelDim = new Option<int>("--d-model", "--model-dim") { Description = "Residual width.", DefaultValueFactory = _ => defaults.Shape.ModelDim };
        var heads = new Option<int>("--heads") { Description = "Attention heads (must divide --d-model).", DefaultValueFactory = _ => defaults.Shape.Heads };
        var context = new Option<int>("--context") { Description = "Context length in tokens.", DefaultValueFactory = _ => defaults.Shape.Context };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => defaults.Steps };
        var batch = new Option<int>("--batch-size") { Description = "Windows per step.", DefaultValueFactory = _ => defaults.BatchSize };
        var learningRate = new Option<double>("--learning-rate") { Description = "Peak AdamW learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var corpus = new Option<string?>("--corpus") { Description = "Corpus file, one story per line (default: the bundled tiny tales)." };
        var output = new Option<string>("--out") { Description = "Where to save the policy .zip.", Required = true };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var command = new Command("pretrain", "Pretrain the initial policy pi_init (a small GPT) on a corpus and save it.")
        {
            layers, modelDim, heads, context, steps, batch, learningRate, corpus, output, seed, device, threads,
        };
        command.SetAction(parse =>
        {
            var options = new PretrainingOptions
            {
                Shape = new GptShape { Layers = parse.GetValue(layers), ModelDim = parse.GetValue(modelDim), Heads = parse.GetValue(heads), Context = parse.GetValue(context) },
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(learningRate),
                Seed = parse.GetValue(seed),
            };
            string path = parse.GetValue(output)!;
            FileSystemProblem.RequireWritableFolder(Path.GetDirectoryName(Path.GetFullPath(path))!, "--out");
            var target = CommonOptions.Prepare(parse, device, threads);
            string? corpusPath = parse.GetValue(corpus);
            var text = corpusPath is null ? TextCorpus.Bundled() : TextCorpus.Load(corpusPath, "--corpus");
            using var policy = new MLContext(options.Seed).Policies().Pretrain(text, options, target, new ConsoleProgress());
            policy.Save(path);
            var d = policy.Description;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "{0}: {1:N0} parameters ({2}); held-out loss {3:F3} -> {4:F3} nats/token in {5:F1} s; saved {6}",
                "pretrained", d.Parameters, policy.Shape, d.InitialValidationLoss, d.ValidationLoss, d.TrainingSeconds, Path.GetFullPath(path)));
            return 0;
        });
        return command;
    }
}
