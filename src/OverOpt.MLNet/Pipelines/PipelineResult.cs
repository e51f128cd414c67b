namespace OverOpt.MLNet.Pipelines;

/// <summary>What a pipeline run produced: one entry per policy and the sampling figures. Written as summary.json.</summary>
public sealed record PipelineResult
{
    public string Pipeline { get; init; } = "";

    public int Seed { get; init; }

    public string Corpus { get; init; } = "";

    public int VocabularySize { get; init; }

    public IReadOnlyList<PolicyResult> Policies { get; init; } = [];

    public int SampledResponses { get; init; }

    public double SampledTokensPerSecond { get; init; }

    public double MeanResponseKl { get; init; }

    public double WallSeconds { get; init; }

    public string OutputDirectory { get; init; } = "";
}

/// <summary>A pretrained policy of a run.</summary>
public sealed record PolicyResult(
    string Name, string Shape, long Parameters, double InitialValidationLoss, double ValidationLoss, double TrainingSeconds, bool FromCache, string Artifact);
