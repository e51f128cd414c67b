using System.CommandLine;
using OverOpt.MLNet.Artifacts;
using OverOpt.MLNet.Text;

namespace OverOpt.Cli.Commands;

/// <summary><c>overopt corpus generate</c>: regenerates the bundled tiny-tales corpus.</summary>
internal static class CorpusCommand
{
    public const int BundledStories = 12000;
    public const int BundledSeed = 2022;

    public static Command Create()
    {
        var stories = new Option<int>("--stories") { Description = "Stories to write.", DefaultValueFactory = _ => BundledStories };
        var seed = new Option<int>("--seed") { Description = "Grammar seed.", DefaultValueFactory = _ => BundledSeed };
        var output = new Option<string>("--out") { Description = "Output file.", DefaultValueFactory = _ => "datasets/tinytales.txt" };
        var generate = new Command("generate", "Write the tiny-tales corpus (the defaults reproduce datasets/tinytales.txt).") { stories, seed, output };
        generate.SetAction(parse =>
        {
            string path = parse.GetValue(output)!;
            AtomicFile.WriteAllText(path, TinyTalesGenerator.Generate(parse.GetValue(stories), parse.GetValue(seed)));
            var corpus = TextCorpus.Load(path);
            var tokenizer = WordTokenizer.Train(corpus.Stories);
            Console.WriteLine($"wrote {corpus.Stories.Count} stories, {TextCorpus.Encode(tokenizer, corpus.Stories).Length:N0} tokens, vocabulary {tokenizer.VocabularySize}, to {path}");
            return 0;
        });
        return new Command("corpus", "The bundled corpus.") { generate };
    }
}
