using System.Text.Json;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Policies;

/// <summary>
/// A language-model policy: a <see cref="GptModel"/> with the tokenizer it reads and writes, and what is known of
/// how it was made. Saves to and loads from a single .zip.
/// </summary>
public sealed class Policy : IDisposable
{
    /// <summary>The kind recorded in a policy archive's manifest; <see cref="Load"/> refuses archives of another kind.</summary>
    public const string ArchiveKind = "OverOpt.Policy.Gpt";
    /// <summary>Layout version of saved policies; <see cref="Load"/> refuses files of another version.</summary>
    public const int FormatVersion = 2;
    private const string DescriptionEntry = "policy.json";
    private const string WeightsEntry = "weights.bin";

    /// <summary>A policy of <paramref name="model"/>, which it owns, reading and writing the ids of <paramref name="tokenizer"/>; their vocabulary sizes must match.</summary>
    public Policy(GptModel model, WordTokenizer tokenizer, PolicyDescription description)
    {
        if (model.Shape.VocabularySize != tokenizer.VocabularySize)
        {
            throw new ArgumentException($"The model's vocabulary ({model.Shape.VocabularySize}) differs from the tokenizer's ({tokenizer.VocabularySize}).", nameof(tokenizer));
        }
        Model = model;
        Tokenizer = tokenizer;
        Description = description;
    }

    /// <summary>The network; owned by the policy and freed by <see cref="Dispose"/>.</summary>
    public GptModel Model { get; }

    /// <summary>The tokenizer whose ids the model reads and writes.</summary>
    public WordTokenizer Tokenizer { get; }

    /// <summary>How the policy was made (provenance, size, pretraining losses and log), saved with it.</summary>
    public PolicyDescription Description { get; }

    /// <summary>The model's shape: layers, width, heads, context and vocabulary.</summary>
    public GptShape Shape => Model.Shape;

    /// <summary>The device the model's parameters are on, where it samples and trains.</summary>
    public Device Device => Model.parameters().First().device;

    /// <summary>Saves shape, vocabulary, description and weights to one .zip at <paramref name="path"/>, atomically and covered by a SHA-256 manifest.</summary>
    public void Save(string path)
    {
        var document = new PolicyDocument { Shape = Shape, Vocabulary = Tokenizer.Vocabulary.ToList(), Description = Description };
        ModelArchive.Write(path, ArchiveKind, FormatVersion, new Dictionary<string, byte[]>
        {
            [DescriptionEntry] = JsonSerializer.SerializeToUtf8Bytes(document, ArchiveJson.Options),
            [WeightsEntry] = WeightBytes(Model),
        });
    }

    /// <exception cref="InvalidDataException">The file is not a policy archive of this version, or is corrupt.</exception>
    public static Policy Load(string path, Device? device = null)
    {
        var entries = ModelArchive.Read(path, ArchiveKind, FormatVersion);
        PolicyDocument document;
        try
        {
            document = JsonSerializer.Deserialize<PolicyDocument>(entries[DescriptionEntry], ArchiveJson.Options)
                ?? throw new InvalidDataException("empty description");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: the policy description is unreadable ({e.Message}). Fix: save the policy again.", e);
        }
        var model = new GptModel(document.Shape, seed: 0);
        try
        {
            using var weights = new MemoryStream(entries[WeightsEntry]);
            model.load(weights);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            model.Dispose();
            throw new InvalidDataException($"{path}: the weights do not fit the shape {document.Shape} ({e.Message}). Fix: save the policy again.", e);
        }
        if (device is not null)
        {
            model.to(device);
        }
        return new Policy(model, new WordTokenizer(document.Vocabulary), document.Description);
    }

    /// <summary>An independent copy (same weights, own parameters), e.g. to keep pi_init frozen while a policy trains.</summary>
    public Policy Clone()
    {
        var model = new GptModel(Shape, seed: 0);
        using (var weights = new MemoryStream(WeightBytes(Model)))
        {
            model.load(weights);
        }
        model.to(Device);
        return new Policy(model, Tokenizer, Description);
    }

    /// <inheritdoc/>
    public void Dispose() => Model.Dispose();

    private static byte[] WeightBytes(GptModel model)
    {
        using var stream = new MemoryStream();
        model.save(stream);
        return stream.ToArray();
    }

    private sealed class PolicyDocument
    {
        public GptShape Shape { get; set; } = new();

        public List<string> Vocabulary { get; set; } = [];

        public PolicyDescription Description { get; set; } = new();
    }
}
