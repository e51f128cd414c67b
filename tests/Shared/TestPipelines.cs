using System.Text.Json;
using System.Text.Json.Nodes;

namespace OverOpt.Testing;

/// <summary>Pipeline files small enough for tests, shared by the tests that run the command line.</summary>
internal static class TestPipelines
{
    /// <summary>The smallest pipeline that runs every stage: two proxies, best-of-n and PPO on two seeds (seconds).</summary>
    public const string Tiny = """
        {
          "name": "tiny",
          "policies": [ { "name": "a", "layers": 1, "modelDim": 16, "heads": 2, "context": 16 } ],
          "pretraining": { "steps": 10, "batchSize": 4, "evaluationInterval": 5, "validationWindows": 8 },
          "sampling": { "promptLength": 4, "responseLength": 6, "prompts": 3, "samplesPerPrompt": 2 },
          "gold": { "layers": 1, "modelDim": 16, "heads": 2, "steps": 20, "prompts": 50, "samplesPerPrompt": 4 },
          "comparisons": { "count": 200 },
          "proxies": [
            { "name": "t", "kind": "transformer", "layers": 1, "modelDim": 8, "heads": 2, "epochs": 1 },
            { "name": "f", "kind": "fasttree", "trees": 5, "leaves": 4 }
          ],
          "bestOfN": { "prompts": 3, "samplesPerPrompt": 40, "maxN": 30, "points": 5, "bootstrapResamples": 50 },
          "ppo": { "proxies": [ "t" ], "seeds": [ 1, 2 ], "steps": 4, "batchSize": 8, "miniBatches": 2, "ppoEpochs": 1, "evaluationPoints": 2, "evaluationSamples": 8 }
        }
        """;

    /// <summary>Pretraining and sampling only (no gold): seconds a task.</summary>
    public static readonly string PolicyOnly = Edit(Tiny, root =>
    {
        foreach (string section in new[] { "comparisons", "proxies", "bestOfN", "ppo" })
        {
            root.Remove(section);
        }
        root["gold"] = null;
    });

    /// <summary>Gold, one transformer proxy and best-of-n (no PPO): curves, fits and reward models, quickly.</summary>
    public static readonly string RewardOnly = Edit(Tiny, root =>
    {
        root["proxies"]!.AsArray().RemoveAt(1);
        root["ppo"] = new JsonObject { ["proxies"] = new JsonArray() };
    });

    /// <summary>
    /// <see cref="Tiny"/> in storyworld-1 (world seed 2, 2,000 stories): prompts and responses long enough for its
    /// stories, gold and the transformer proxy reading their language model's likelihood.
    /// </summary>
    public static readonly string StoryWorld = Edit(Tiny, root =>
    {
        root["name"] = "storyworld-tiny";
        root["world"] = new JsonObject { ["version"] = "storyworld-1", ["seed"] = 2, ["stories"] = 2000 };
        root["policies"]![0]!["context"] = 40;
        root["sampling"] = new JsonObject { ["promptLength"] = 16, ["responseLength"] = 24, ["prompts"] = 3, ["samplesPerPrompt"] = 2 };
        root["gold"]!["readout"] = "meanPoolAndLikelihood";
        root["proxies"]![0]!["readout"] = "meanPoolAndLikelihood";
    });

    /// <summary><see cref="Tiny"/> with <paramref name="steps"/> PPO steps per seed.</summary>
    public static string TinyWithPpoSteps(int steps) => Edit(Tiny, root => root["ppo"]!["steps"] = steps);

    /// <summary><paramref name="pipeline"/> changed by <paramref name="edit"/>, written one field a line.</summary>
    public static string Edit(string pipeline, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(pipeline)!.AsObject();
        edit(root);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
