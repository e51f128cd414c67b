using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using OverOpt.MLNet;
using OverOpt.MLNet.RewardModels;
using OverOpt.MLNet.Runtime;
using OverOpt.MLNet.Text;

namespace OverOpt.Cli.Commands;

/// <summary><c>overopt score</c>: one response scored by a saved reward model, through ML.NET's PredictionEngine.</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A reward model .zip (gold or proxy; see .cache/overopt/gold and proxies), or with --mlnet any ML.NET model file that adds Score.", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "Prompt text (it should start with <bos> as the pipeline's prompts do)." };
        var response = new Option<string?>("--response") { Description = "Response text; as many words as the model's responses had." };
        var promptTokens = new Option<string?>("--prompt-tokens") { Description = "The prompt as token ids (e.g. \"1 5 9\"), instead of --prompt." };
        var responseTokens = new Option<string?>("--response-tokens") { Description = "The response as token ids, instead of --response." };
        var mlnet = new Option<bool>("--mlnet")
        {
            Description = "Load the file with mlContext.Model.Load, as a Model Builder app would (any chain saved with mlContext.Model.Save that "
                + "reads PromptTokens and ResponseTokens); it has no vocabulary, so give token ids. Prints the score alone, in round-trip precision.",
        };
        var command = new Command("score", "Score one prompt and response with a saved reward model (normalized: pi_init's samples have mean 0, std 1).")
        {
            model, prompt, response, promptTokens, responseTokens, mlnet,
        };
        command.SetAction(parse =>
        {
            var ml = new MLContext(1);
            string path = parse.GetValue(model)!;
            string? promptIds = parse.GetValue(promptTokens), responseIds = parse.GetValue(responseTokens);
            bool byIds = promptIds is not null || responseIds is not null;
            if (byIds && (promptIds is null || responseIds is null))
            {
                throw new OverOptConfigurationException("only one of --prompt-tokens and --response-tokens was given.", promptIds is null ? "--prompt-tokens" : "--response-tokens", "give both.");
            }
            if (parse.GetValue(mlnet))
            {
                if (!byIds)
                {
                    throw new OverOptConfigurationException("--mlnet loads a plain ML.NET model, which has no vocabulary to read text with.", "--prompt-tokens", "give --prompt-tokens and --response-tokens.");
                }
                var input = new RewardInput { PromptTokens = Ids(promptIds!, "--prompt-tokens"), ResponseTokens = Ids(responseIds!, "--response-tokens") };
                var loaded = LoadMLNet(ml, path);
                var mlnetEngine = ml.Model.CreatePredictionEngine<RewardInput, RewardScore>(loaded);
                Console.WriteLine(mlnetEngine.Predict(input).Score.ToString("R", CultureInfo.InvariantCulture));
                return 0;
            }
            using var reward = ml.RewardModels().Load(path);
            RewardInput row;
            if (byIds)
            {
                row = new RewardInput { PromptTokens = Ids(promptIds!, "--prompt-tokens"), ResponseTokens = Ids(responseIds!, "--response-tokens") };
            }
            else
            {
                string promptText = parse.GetValue(prompt) ?? throw new OverOptConfigurationException("no prompt was given.", "--prompt", "give --prompt (text) or --prompt-tokens (ids).");
                string responseText = parse.GetValue(response) ?? throw new OverOptConfigurationException("no response was given.", "--response", "give --response (text) or --response-tokens (ids).");
                WarnOutOfVocabulary(reward.Tokenizer, promptText, responseText);
                row = new RewardInput { PromptTokens = reward.Tokenizer.Encode(promptText), ResponseTokens = reward.Tokenizer.Encode(responseText) };
            }
            var engine = ml.Model.CreatePredictionEngine<RewardInput, RewardScore>(reward);
            float score = engine.Predict(row).Score;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} ({1}, {2:N0} parameters): {3:F3}", reward.Name, reward.Info.Kind, reward.Info.Parameters, score));
            return 0;
        });
        return command;
    }

    private static ITransformer LoadMLNet(MLContext ml, string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: no such model file.");
        }
        try
        {
            return ml.Model.Load(path, out _);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or IOException or System.Reflection.TargetInvocationException)
        {
            throw new InvalidDataException($"{path}: mlContext.Model.Load cannot read it ({e.GetBaseException().Message}). Fix: save the model with mlContext.Model.Save.", e);
        }
    }

    private static int[] Ids(string text, string option)
    {
        var parts = text.Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries);
        var ids = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out ids[i]) || ids[i] < 0)
            {
                throw new OverOptConfigurationException($"'{parts[i]}' is not a token id.", option, "give non-negative whole numbers separated by spaces or commas.");
            }
        }
        return ids;
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
