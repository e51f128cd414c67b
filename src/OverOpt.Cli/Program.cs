using System.CommandLine;
using OverOpt.Cli.Commands;
using OverOpt.MLNet.Runtime;

namespace OverOpt.Cli;

public static class Program
{
    /// <summary>Every command of <c>overopt</c>, as <see cref="Main"/> parses them.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("overopt: measure and fit reward-model overoptimization (Goodhart's law in RLHF) on ML.NET and TorchSharp.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(PretrainCommand.Create());
        root.Subcommands.Add(SampleCommand.Create());
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(CorpusCommand.Create());
        return root;
    }

    public static int Main(string[] args)
    {
        var root = CreateRootCommand();
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OverOptConfigurationException e)
        {
            return Fail(e.Message, 2);
        }
        catch (InvalidDataException e)
        {
            return Fail(e.Message, 2);
        }
        catch (PlatformNotSupportedException e)
        {
            return Fail(e.Message, 3);
        }
        catch (Exception e) when (FileSystemProblem.Is(e))
        {
            return Fail(FileSystemProblem.Explain(e), 2);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not bad input: one line first, then the stack for the report, and no abort (exit 134) of the runtime.
            Console.Error.WriteLine($"overopt: error: internal error ({e.GetType().Name}): {e.Message.Split('\n')[0]}");
            Console.Error.WriteLine("overopt: this is a bug; please report it with the lines below. Finished work is kept: a rerun resumes.");
            Console.Error.WriteLine(e);
            return 70;
        }
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"overopt: error: {message}");
        return code;
    }
}
