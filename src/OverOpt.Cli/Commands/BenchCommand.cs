using System.CommandLine;
using System.Globalization;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Sampling;

namespace OverOpt.Cli.Commands;

/// <summary><c>overopt bench sample</c>: sampled tokens per second for a model shape.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var layers = new Option<int>("--layers") { Description = "Transformer blocks.", DefaultValueFactory = _ => 2 };
        var modelDim = new Option<int>("--d-model", "--model-dim") { Description = "Residual width.", DefaultValueFactory = _ => 64 };
        var heads = new Option<int>("--heads") { Description = "Attention heads.", DefaultValueFactory = _ => 4 };
        var vocab = new Option<int>("--vocab") { Description = "Vocabulary size.", DefaultValueFactory = _ => 160 };
        var context = new Option<int>("--context") { Description = "Context length.", DefaultValueFactory = _ => 32 };
        var batch = new Option<int>("--batch") { Description = "Sequences sampled together.", DefaultValueFactory = _ => 256 };
        var promptLength = new Option<int>("--prompt-length") { Description = "Prompt tokens.", DefaultValueFactory = _ => 8 };
        var responseLength = new Option<int>("--response-length") { Description = "Response tokens.", DefaultValueFactory = _ => 16 };
        var repeats = new Option<int>("--repeats") { Description = "Timed batches per sampler.", DefaultValueFactory = _ => 5 };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var sample = new Command("sample", "Sampled tokens per second (KV-cache sampler, and the full-recompute baseline in the same process).")
        {
            layers, modelDim, heads, vocab, context, batch, promptLength, responseLength, repeats, device, threads,
        };
        sample.SetAction(parse =>
        {
            var shape = new GptShape
            {
                Layers = parse.GetValue(layers), ModelDim = parse.GetValue(modelDim), Heads = parse.GetValue(heads),
                VocabularySize = parse.GetValue(vocab), Context = parse.GetValue(context),
            };
            shape.Validate();
            int prompt = parse.GetValue(promptLength), response = parse.GetValue(responseLength);
            if (prompt + response > shape.Context)
            {
                throw new OverOpt.MLNet.Runtime.OverOptConfigurationException(
                    $"--prompt-length {prompt} + --response-length {response} exceed --context {shape.Context}.", "--response-length", $"use --context {prompt + response} or more.");
            }
            var target = CommonOptions.Prepare(parse, device, threads);
            var result = SamplingThroughput.Measure(shape, parse.GetValue(batch), prompt, response, parse.GetValue(repeats), target);
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Format(c, "shape: {0}; {1:N0} parameters; batch {2}, prompt {3}, response {4}; device {5}, {6} threads",
                shape, result.Parameters, parse.GetValue(batch), prompt, response, target, TorchSharp.torch.get_num_threads()));
            Console.WriteLine(string.Format(c, "kv-cache sampler:   {0,12:N0} tokens/s", result.CachedTokensPerSecond));
            Console.WriteLine(string.Format(c, "recompute baseline: {0,12:N0} tokens/s", result.RecomputeTokensPerSecond));
            Console.WriteLine(string.Format(c, "speed-up: {0:F2}x", result.Speedup));
            return 0;
        });
        return new Command("bench", "Throughput measurements.") { sample };
    }
}
