namespace OverOpt.MLNet.Sampling;

/// <summary>The row type of the IDataView of samples: text for people, token ids and per-response statistics for pipelines.</summary>
public sealed class PolicySampleRow
{
    /// <summary>Index of the prompt in the list sampled from; a prompt's samples share it and are consecutive.</summary>
    public int PromptIndex { get; set; }

    /// <summary>The prompt as text, pieces joined by spaces (the begin token shows as &lt;bos&gt;).</summary>
    public string Prompt { get; set; } = "";

    /// <summary>The response as text, pieces joined by spaces.</summary>
    public string Response { get; set; } = "";

    /// <summary>The prompt's token ids.</summary>
    public int[] PromptTokens { get; set; } = [];

    /// <summary>The response's token ids; every response has the sampling options' length.</summary>
    public int[] ResponseTokens { get; set; } = [];

    /// <summary>log pi(response | prompt), summed over tokens.</summary>
    public float LogProb { get; set; }

    /// <summary>log pi_init(response | prompt), summed over tokens.</summary>
    public float ReferenceLogProb { get; set; }

    /// <summary>Exact KL(pi || pi_init) along this response: per-token KLs over the vocabulary, summed.</summary>
    public float Kl { get; set; }
}
