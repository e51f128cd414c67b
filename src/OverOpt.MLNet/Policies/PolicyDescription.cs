namespace OverOpt.MLNet.Policies;

/// <summary>Where a policy came from, saved with it.</summary>
public sealed record PolicyDescription
{
    /// <summary>The canonical JSON of everything that determined the weights (corpus hash, shape, training options, seed); the artifact cache's key.</summary>
    public string Provenance { get; init; } = "";

    /// <summary>Where the corpus came from.</summary>
    public string CorpusSource { get; init; } = "";

    /// <summary>Parameters of the model, embeddings and output head included.</summary>
    public long Parameters { get; init; }

    /// <summary>Optimizer steps of pretraining.</summary>
    public int TrainingSteps { get; init; }

    /// <summary>Mean next-token cross-entropy (nats) on the held-out tenth of the corpus before training.</summary>
    public double InitialValidationLoss { get; init; }

    /// <summary>The same after training.</summary>
    public double ValidationLoss { get; init; }

    /// <summary>Wall-clock seconds of pretraining, held-out evaluations included.</summary>
    public double TrainingSeconds { get; init; }

    /// <summary>The pretraining log (one row per evaluation), so that a cached policy still reports how it trained.</summary>
    public IReadOnlyList<PretrainingLogRow> TrainingLog { get; init; } = [];
}
