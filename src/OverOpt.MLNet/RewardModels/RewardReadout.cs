namespace OverOpt.MLNet.RewardModels;

/// <summary>What a transformer reward model's score head reads from its backbone.</summary>
public enum RewardReadout
{
    /// <summary>The mean of the final hidden states over all positions (the default, and every model before readouts).</summary>
    MeanPool,

    /// <summary>
    /// The mean of the final hidden states and, beside it, the sequence's log-likelihood (nats, summed over its tokens)
    /// under a frozen copy of the pretrained language model the reward model starts from. A larger language model's likelihood
    /// orders responses more as a reader with taste does; a linear head on pooled states cannot compute it, so without
    /// this readout a reward model fine-tuned on few comparisons does not use it. The copy counts in the parameters.
    /// </summary>
    MeanPoolAndLikelihood,

    /// <summary>
    /// <see cref="MeanPoolAndLikelihood"/>'s features and, beside them, the sequence's excess surprise under the frozen
    /// language model: over every token after the first, how far its surprise (-log p) lies above the model's entropy at
    /// that position, where above, summed in nats. A free choice surprises about as much as the entropy says; a token that
    /// breaks a fact the model is sure of (a wrong pronoun for a character it knows) far more. The likelihood alone mixes
    /// the two, so a head that weighs it for broken facts also weighs every rare free choice (world pilot, section 38).
    /// </summary>
    MeanPoolLikelihoodAndSurprise,
}
