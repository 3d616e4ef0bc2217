using System.Reflection;
using Xunit.Sdk;

namespace Eliloader.Faults.Harness;

/// <summary>
/// A category of the suite: a class whose private static Cases lists its hostile inputs.
/// Each case is a test of its own (offered to xunit by name) and runs on the shared suite;
/// the category's name in the table is the class name less "Faults", in lower case.
/// </summary>
public abstract class FaultCategory(FaultSuite suite)
{
    [Theory, FaultCases]
    public void Case(string fault) => suite.Run(NameOf(GetType()), CasesOf(GetType()).Single(c => c.Name == fault));

    public static string NameOf(Type category) => category.Name.Replace("Faults", "").ToLowerInvariant();

    public static IReadOnlyList<FaultCase> CasesOf(Type category) =>
        category.GetField("Cases", BindingFlags.Static | BindingFlags.NonPublic)?.GetValue(null) as IReadOnlyList<FaultCase>
            ?? throw new InvalidOperationException($"{category.Name} has no private static Cases");
}

/// <summary>The names of the cases of the category class the test method is run for.</summary>
public sealed class FaultCasesAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        FaultCategory.CasesOf(testMethod.ReflectedType!).Select(c => new object[] { c.Name });
}
