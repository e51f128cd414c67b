using Microsoft.ML;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Pretraining;

namespace OverOpt.MLNet.Tests;

[Trait(Speed.Category, Speed.Fast)]
public sealed class PolicyArchiveTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("overopt-tests-").FullName;

    private static PretrainingOptions Options(int steps = 5) => new()
    {
        Shape = new GptShape { Layers = 1, ModelDim = 16, Heads = 2, Context = 16 },
        Steps = steps,
        BatchSize = 4,
        EvaluationInterval = 5,
        ValidationWindows = 8,
    };

    [Fact]
    public void SavedPolicyLoadsWithIdenticalLogits()
    {
        using var policy = new MLContext(1).Policies().Pretrain(TestModels.Corpus, Options());
        string path = Path.Combine(_folder, "policy.zip");
        policy.Save(path);
        using var loaded = Policy.Load(path);
        using var tokens = TestModels.RandomPrompts(4, 10, policy.Tokenizer.VocabularySize, 1);

        using var before = policy.Model.forward(tokens);
        using var after = loaded.Model.forward(tokens);

        Assert.True(before.eq(after).all().item<bool>());
        Assert.Equal(policy.Tokenizer.Vocabulary, loaded.Tokenizer.Vocabulary);
        Assert.Equal(policy.Description.Provenance, loaded.Description.Provenance);
    }

    [Fact]
    public void TruncatedOrForeignFilesAreRefusedWithTheCause()
    {
        using var policy = new MLContext(1).Policies().Pretrain(TestModels.Corpus, Options());
        string path = Path.Combine(_folder, "policy.zip");
        policy.Save(path);
        var bytes = File.ReadAllBytes(path);
        string truncated = Path.Combine(_folder, "truncated.zip");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        string foreign = Path.Combine(_folder, "foreign.zip");
        ModelArchive.Write(foreign, "Something.Else", 1, new Dictionary<string, byte[]> { ["x"] = [1, 2, 3] });

        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Policy.Load(truncated)).Message);
        Assert.Contains("Something.Else", Assert.Throws<InvalidDataException>(() => Policy.Load(foreign)).Message);
    }

    [Fact]
    public void AManifestThatIsNotJsonIsRefusedAsDamaged()
    {
        string path = Path.Combine(_folder, "damaged.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        {
            using var manifest = new StreamWriter(zip.CreateEntry(ModelArchive.ManifestEntry).Open());
            manifest.Write("{\"kind\": \"OverOpt.Policy\", \"formatVersion\": 2, \"entries\": {\"a\": \"b\"");
        }

        var error = Assert.Throws<InvalidDataException>(() => Policy.Load(path));

        Assert.Contains($"{path}: the manifest is not valid JSON (a damaged file)", error.Message);
    }

    [Fact]
    public void TheCacheReusesAGoodFileAndRebuildsACorruptOne()
    {
        var cache = new ArtifactCache(Path.Combine(_folder, "cache"));
        var events = new List<string>();
        cache.Reused += p => events.Add("reused");
        cache.Built += p => events.Add("built");
        cache.Rejected += p => events.Add("rejected");
        var ml = new MLContext(1);

        using (ml.Policies().Pretrain(TestModels.Corpus, Options(), cache))
        {
        }
        string file = Directory.GetFiles(cache.Root, "*.zip", SearchOption.AllDirectories).Single();
        using (ml.Policies().Pretrain(TestModels.Corpus, Options(), cache))
        {
        }
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(file, bytes);
        using var rebuilt = ml.Policies().Pretrain(TestModels.Corpus, Options(), cache);
        using var other = ml.Policies().Pretrain(TestModels.Corpus, Options(steps: 6), cache);

        Assert.Equal(["built", "reused", "rejected", "built", "built"], events);
        Assert.Equal(2, Directory.GetFiles(cache.Root, "*.zip", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void ACacheFileBuiltFromAnotherConfigurationIsRebuiltNotLoaded()
    {
        var cache = new ArtifactCache(Path.Combine(_folder, "mismatch"));
        var rejected = new List<string>();
        cache.Rejected += rejected.Add;
        var ml = new MLContext(1);
        using (var first = ml.Policies().Pretrain(TestModels.Corpus, Options(steps: 5), cache))
        using (var second = ml.Policies().Pretrain(TestModels.Corpus, Options(steps: 6), cache))
        {
            // A hand-copied file: the second configuration's name now holds the first one's policy.
            File.Copy(cache.PathFor("policies", first.Description.Provenance), cache.PathFor("policies", second.Description.Provenance), overwrite: true);
        }

        using var rebuilt = ml.Policies().Pretrain(TestModels.Corpus, Options(steps: 6), cache);

        Assert.Contains(rejected, line => line.Contains("built from another configuration"));
        Assert.Equal(6, rebuilt.Description.TrainingSteps);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
