using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using OverOpt.MLNet;
using OverOpt.MLNet.RewardModels;

namespace OverOpt.Cli.Commands;

/// <summary><c>overopt score</c>: one response scored by a saved reward model, through ML.NET's PredictionEngine.</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A reward model .zip (gold or proxy; see .cache/overopt/gold and proxies).", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "Prompt text (it should start with <bos> as the pipeline's prompts do).", Required = true };
        var response = new Option<string>("--response") { Description = "Response text; as many words as the model's responses had.", Required = true };
        var command = new Command("score", "Score one prompt and response with a saved reward model (normalized: pi_init's samples have mean 0, std 1).")
        {
            model, prompt, response,
        };
        command.SetAction(parse =>
        {
            var ml = new MLContext(1);
            using var reward = ml.RewardModels().Load(parse.GetValue(model)!);
            var input = new RewardInput
            {
                PromptTokens = reward.Tokenizer.Encode(parse.GetValue(prompt)!),
                ResponseTokens = reward.Tokenizer.Encode(parse.GetValue(response)!),
            };
            var engine = ml.Model.CreatePredictionEngine<RewardInput, RewardScore>(reward);
            float score = engine.Predict(input).Score;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} ({1}, {2:N0} parameters): {3:F3}", reward.Name, reward.Info.Kind, reward.Info.Parameters, score));
            return 0;
        });
        return command;
    }
}
