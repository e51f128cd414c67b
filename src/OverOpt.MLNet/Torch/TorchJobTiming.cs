namespace OverOpt.MLNet.Torch;

/// <summary>When a <see cref="TorchJobGraph"/> job ran: its name, the worker (0 up), and its start and end in seconds from the run's start.</summary>
public sealed record TorchJobTiming(string Name, int Worker, double Started, double Finished);
