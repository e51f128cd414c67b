using System.Reflection;
using Microsoft.ML;

namespace OverOpt.Testing;

/// <summary>
/// The SchemaShape of a DataViewSchema, as ML.NET's own chains compute it before asking an estimator's
/// GetOutputSchema. ML.NET keeps SchemaShape.Create internal (dotnet/machinelearning #3243), so the tests reach it.
/// </summary>
internal static class SchemaShapes
{
    public static SchemaShape Of(DataViewSchema schema)
        => (SchemaShape)typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(DataViewSchema)])!
            .Invoke(null, [schema])!;
}
