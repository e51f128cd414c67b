using Microsoft.ML;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Pretraining;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// A cached artifact damaged anywhere (one flipped bit: in the manifest, the zip's headers, compressed data or a
/// payload) is either still whole (a flip in a byte nothing reads) or reported and rebuilt: never a crash, never a
/// wrong model used.
/// </summary>
public sealed class ArtifactDamageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("overopt-damage-").FullName;

    [Fact]
    public void BitFlipsAcrossACachedPolicyAreReportedAndRebuiltNeverACrash()
    {
        var options = new PretrainingOptions
        {
            Shape = new GptShape { Layers = 1, ModelDim = 8, Heads = 2, Context = 8 },
            Steps = 2, BatchSize = 2, EvaluationInterval = 2, ValidationWindows = 2,
        };
        var ml = new MLContext(1);
        var cache = new ArtifactCache(Path.Combine(_folder, "cache"));
        var rejected = new List<string>();
        cache.Rejected += rejected.Add;
        using (ml.Policies().Pretrain(TestModels.Corpus, options, cache))
        {
        }
        string path = Directory.GetFiles(Path.Combine(cache.Root, "policies"), "*.zip").Single();
        byte[] whole = File.ReadAllBytes(path);
        using var original = Policy.Load(path);
        byte[] weights = WeightsOf(original);
        int builds = 0;
        Policy Rebuild()
        {
            builds++;
            return Policy.Load(Path.Combine(_folder, "whole.zip"));
        }
        File.WriteAllBytes(Path.Combine(_folder, "whole.zip"), whole);

        // Every bit of the first 64 bytes (the first entry's header), a random bit of every other byte up to 1,024 (the
        // manifest is the first entry), then a random bit of every 32nd byte: headers, compressed data, the directory.
        var random = new Random(5);
        var flips = Enumerable.Range(0, 64 * 8).Select(b => (Byte: b / 8, Bit: b % 8))
            .Concat(Enumerable.Range(32, 480).Select(i => (Byte: 2 * i, Bit: random.Next(8))))
            .Concat(Enumerable.Range(32, whole.Length / 32).Select(i => (Byte: 32 * i, Bit: random.Next(8))))
            .Where(f => f.Byte < whole.Length)
            .ToList();
        int reused = 0;
        foreach (var (at, bit) in flips)
        {
            var damaged = (byte[])whole.Clone();
            damaged[at] ^= (byte)(1 << bit);
            File.WriteAllBytes(path, damaged);
            int rejectedBefore = rejected.Count, buildsBefore = builds;

            using var loaded = cache.GetOrBuild("policies", original.Description.Provenance, p => Policy.Load(p), p => p.Description.Provenance, Rebuild, (p, target) => p.Save(target));

            bool rebuilt = builds > buildsBefore;
            if (!rebuilt)
            {
                // What is used must be what was saved.
                Assert.Equal(weights, WeightsOf(loaded));
                reused++;
            }
            else
            {
                Assert.Equal(rejectedBefore + 1, rejected.Count);
                Assert.Contains(path, rejected[^1]);
            }
        }

        Assert.True(builds > flips.Count / 2, $"only {builds} of {flips.Count} flips were caught and rebuilt");
        Assert.True(reused + builds == flips.Count);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] WeightsOf(Policy policy)
    {
        using var stream = new MemoryStream();
        policy.Model.save(stream);
        return stream.ToArray();
    }
}
