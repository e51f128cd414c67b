namespace WorldPilot;

internal static class Program
{
    private static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "stats";
        var flags = Flags.Parse(args.Skip(1));
        switch (mode)
        {
            case "stats":
                CorpusStats.Run(flags);
                return 0;
            case "train":
                PilotTrain.Run(flags);
                return 0;
            case "entropy":
                PilotEntropy.Run(flags);
                return 0;
            case "breaks":
                PilotBreaks.Run(flags);
                return 0;
            case "rewards":
                PilotRewards.Run(flags);
                return 0;
            case "likelihood":
                PilotLikelihood.Run(flags);
                return 0;
            case "reads":
                PilotSombreReads.Run(flags);
                return 0;
            case "surprise":
                PilotWordSurprise.Run(flags);
                return 0;
            case "cheer":
                PilotCheerPiling.Run(flags);
                return 0;
            case "gold":
                PilotGoldReads.Run(flags);
                return 0;
            case "gold-terms":
                PilotGoldTerms.Run(flags);
                return 0;
            case "gold-pronouns":
                PilotGoldPronouns.Run(flags);
                return 0;
            case "gold-swaps":
                PilotGoldSwaps.Run(flags);
                return 0;
            case "report":
                PilotReport.Run(flags);
                return 0;
            default:
                Console.Error.WriteLine($"unknown mode '{mode}': use stats, entropy, train, breaks, cheer, gold, gold-terms, gold-pronouns, gold-swaps, rewards, likelihood, reads, surprise or report");
                return 2;
        }
    }
}
