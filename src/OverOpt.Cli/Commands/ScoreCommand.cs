using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using OverOpt.MLNet;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Text;

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
            string promptText = parse.GetValue(prompt)!, responseText = parse.GetValue(response)!;
            WarnOutOfVocabulary(reward.Tokenizer, promptText, responseText);
            var input = new RewardInput
            {
                PromptTokens = reward.Tokenizer.Encode(promptText),
                ResponseTokens = reward.Tokenizer.Encode(responseText),
            };
            var engine = ml.Model.CreatePredictionEngine<RewardInput, RewardScore>(reward);
            float score = engine.Predict(input).Score;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} ({1}, {2:N0} parameters): {3:F3}", reward.Name, reward.Info.Kind, reward.Info.Parameters, score));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Names the words the model cannot see. A warning, not an error: the score is still the model's answer to the
    /// text it was given (unknown words as &lt;unk&gt;), probing a model with new words is a fair use, and stdout stays
    /// one parseable line; but the reader must know that those words were not scored as words.
    /// </summary>
    private static void WarnOutOfVocabulary(WordTokenizer tokenizer, string prompt, string response)
    {
        var unknown = tokenizer.OutOfVocabulary(prompt).Concat(tokenizer.OutOfVocabulary(response)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine(
                $"overopt: warning: {unknown.Count} word(s) outside the model's vocabulary of {tokenizer.VocabularySize} were scored as <unk>: "
                + $"{string.Join(", ", unknown.Select(w => $"'{w}'"))}. <unk> never occurs in the corpus the models learned from, so the score says little about them.");
        }
    }
}
