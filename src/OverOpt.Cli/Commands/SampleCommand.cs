using System.CommandLine;
using Microsoft.ML;
using OverOpt.Experiments.Files;
using OverOpt.MLNet;
using OverOpt.MLNet.Sampling;
using OverOpt.MLNet.Text;

namespace OverOpt.Cli.Commands;

/// <summary><c>overopt sample</c>: samples responses from a saved policy to held-out prompts.</summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var policyFile = new Option<string>("--policy") { Description = "A policy .zip (from overopt pretrain).", Required = true };
        var reference = new Option<string?>("--reference") { Description = "pi_init for log-probabilities and KL (default: the policy itself)." };
        var prompts = new Option<int>("--prompts") { Description = "Held-out prompts.", DefaultValueFactory = _ => 8 };
        var perPrompt = new Option<int>("--samples-per-prompt") { Description = "Responses per prompt.", DefaultValueFactory = _ => 4 };
        var promptLength = new Option<int>("--prompt-length") { Description = "Prompt tokens, the begin token included.", DefaultValueFactory = _ => 8 };
        var responseLength = new Option<int>("--response-length") { Description = "Response tokens.", DefaultValueFactory = _ => 16 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature.", DefaultValueFactory = _ => 1.0 };
        var output = new Option<string?>("--out") { Description = "Also write the samples to this CSV." };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var command = new Command("sample", "Sample responses from a saved policy, with log-probabilities and exact KL to pi_init.")
        {
            policyFile, reference, prompts, perPrompt, promptLength, responseLength, temperature, output, seed, device, threads,
        };
        command.SetAction(parse =>
        {
            var target = CommonOptions.Prepare(parse, device, threads);
            var ml = new MLContext(parse.GetValue(seed));
            using var policy = ml.Policies().Load(parse.GetValue(policyFile)!, target);
            string? referencePath = parse.GetValue(reference);
            using var referencePolicy = referencePath is null ? null : ml.Policies().Load(referencePath, target);
            var options = new SamplingOptions { ResponseLength = parse.GetValue(responseLength), Temperature = parse.GetValue(temperature) };
            int length = parse.GetValue(promptLength);
            if (length + options.ResponseLength > policy.Shape.Context)
            {
                throw new OverOpt.MLNet.Runtime.OverOptConfigurationException(
                    $"--prompt-length {length} + --response-length {options.ResponseLength} exceed the policy's context of {policy.Shape.Context}.",
                    "--response-length", $"use at most {policy.Shape.Context - length} response tokens.");
            }
            var corpus = TextCorpus.Bundled();
            var chosen = TextCorpus.Prompts(policy.Tokenizer, corpus.ValidationStories, length).Take(parse.GetValue(prompts)).ToArray();
            var data = ml.Policies().Sample(policy, chosen, parse.GetValue(perPrompt), options, parse.GetValue(seed), referencePolicy);
            var rows = ml.Data.CreateEnumerable<PolicySampleRow>(data, reuseRowObject: false).ToList();
            var table = new CsvTable("prompt_index", "prompt", "response", "log_prob", "reference_log_prob", "kl");
            foreach (var row in rows)
            {
                Console.WriteLine($"[{row.PromptIndex}] {row.Prompt} || {row.Response}   (log p {row.LogProb:F2}, KL {row.Kl:G3})");
                table.Add(row.PromptIndex, row.Prompt, row.Response, row.LogProb, row.ReferenceLogProb, row.Kl);
            }
            if (parse.GetValue(output) is { } path)
            {
                table.Save(path);
            }
            return 0;
        });
        return command;
    }
}
