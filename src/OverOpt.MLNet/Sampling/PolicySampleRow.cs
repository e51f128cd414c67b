namespace OverOpt.MLNet.Sampling;

/// <summary>The row type of the IDataView of samples: text for people, token ids and per-response statistics for pipelines.</summary>
public sealed class PolicySampleRow
{
    public int PromptIndex { get; set; }

    public string Prompt { get; set; } = "";

    public string Response { get; set; } = "";

    public int[] PromptTokens { get; set; } = [];

    public int[] ResponseTokens { get; set; } = [];

    /// <summary>log pi(response | prompt), summed over tokens.</summary>
    public float LogProb { get; set; }

    /// <summary>log pi_init(response | prompt), summed over tokens.</summary>
    public float ReferenceLogProb { get; set; }

    /// <summary>Exact KL(pi || pi_init) along this response: per-token KLs over the vocabulary, summed.</summary>
    public float Kl { get; set; }
}
