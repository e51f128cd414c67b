namespace OverOpt.Experiments.Figures;

/// <summary>A straight line across a study figure (a fitted scaling line, y = x, or a chance level).</summary>
public sealed record StudyLine(string Label, double X1, double Y1, double X2, double Y2, bool Dashed = true);
