using OverOpt.MLNet.Text;

namespace OverOpt.MLNet.Runtime;

/// <summary>Checks shared by options classes; each failure is an <see cref="OverOptConfigurationException"/> naming the field and the fix.</summary>
internal static class Require
{
    public static void Positive(int value, string field)
    {
        if (value <= 0)
        {
            throw new OverOptConfigurationException($"{field} = {value}, but it must be positive.", field, $"set {field} to a positive whole number.");
        }
    }

    public static WordTokenizer Tokenizer(WordTokenizer? tokenizer)
        => tokenizer ?? throw new OverOptConfigurationException("no tokenizer was given.", "tokenizer", "pass the tokenizer of the policy whose responses are compared (policy.Tokenizer).");
}
