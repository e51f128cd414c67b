using System.CommandLine;
using Microsoft.ML;
using OverOpt.MLNet;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Cli.Commands;

/// <summary><c>overopt export onnx</c>: a saved FastTree reward model written as an ONNX graph.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A FastTree reward model .zip (see .cache/overopt/proxies).", Required = true };
        var output = new Option<string>("--output") { Description = "The .onnx file to write.", Required = true };
        var responseLength = new Option<int?>("--response-length")
        {
            Description = "Tokens per response: the size of the graph's input. Default: the one recorded in the model (models built by a pipeline have it).",
        };
        var onnx = new Command("onnx", $"Write a FastTree reward model as ONNX: input {RewardModelOnnx.InputName} (int32 [batch, response length]), output {RewardModelOnnx.OutputName} (the normalized score). Transformer reward models cannot be exported.")
        {
            model, output, responseLength,
        };
        onnx.SetAction(parse =>
        {
            string modelPath = parse.GetValue(model)!, outputPath = parse.GetValue(output)!;
            if (!File.Exists(modelPath))
            {
                throw new OverOptConfigurationException($"{modelPath} does not exist.", "--model", "give the path of a reward model .zip saved by OverOpt.");
            }
            var ml = new MLContext(1);
            using var reward = ml.RewardModels().Load(modelPath);
            int? length = parse.GetValue(responseLength) ?? RewardModelOnnx.RecordedResponseLength(reward.Info);
            try
            {
                AtomicFile.Write(outputPath, stream => ml.RewardModels().ExportToOnnx(reward, stream, length));
            }
            catch (NotSupportedException e)
            {
                Console.Error.WriteLine($"overopt: error: {modelPath}: {e.Message}");
                return 2;
            }
            Console.WriteLine(
                $"wrote {reward.Name} ({reward.Info.Kind}, {reward.Info.Parameters:N0} parameters) to {outputPath}: input {RewardModelOnnx.InputName} int32 [batch, {length}], "
                + $"output {RewardModelOnnx.OutputName} float [batch, 1]");
            return 0;
        });
        return new Command("export", "Export a saved model to another format.") { onnx };
    }
}
