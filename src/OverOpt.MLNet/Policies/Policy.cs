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
    public const string ArchiveKind = "OverOpt.Policy.Gpt";
    public const int FormatVersion = 2;
    private const string DescriptionEntry = "policy.json";
    private const string WeightsEntry = "weights.bin";

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

    public GptModel Model { get; }

    public WordTokenizer Tokenizer { get; }

    public PolicyDescription Description { get; }

    public GptShape Shape => Model.Shape;

    public Device Device => Model.parameters().First().device;

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
