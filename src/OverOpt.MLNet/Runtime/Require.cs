namespace OverOpt.MLNet.Runtime;

/// <summary>Checks shared by options classes; each failure is an <see cref="OverOptConfigurationException"/> naming the field and the fix.</summary>
public static class Require
{
    /// <summary>Throws unless <paramref name="value"/> is above 0, naming <paramref name="field"/>.</summary>
    public static void Positive(int value, string field)
    {
        if (value <= 0)
        {
            throw new OverOptConfigurationException($"{field} = {value}, but it must be positive.", field, $"set {field} to a positive whole number.");
        }
    }
}
