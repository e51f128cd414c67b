namespace OverOpt.MLNet.Tests;

/// <summary>
/// Tests that set libtorch's thread count (directly, or through the workers of <see cref="Torch.TorchJobs"/>), run alone
/// after the others. set_num_threads also writes the process-wide count that a thread adopts at its first libtorch
/// operation, so a test starting beside one of these could take its count (1 or 3) for the rest of the run instead of
/// the process's, and round every later training differently.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LibtorchThreadCountCollection
{
    public const string Name = "libtorch thread count";
}
