namespace Eliloader.CommandLine;

/// <summary>
/// The command line is not one eliloader understands; exit status 2. The detail is one
/// line (control characters in it, from the arguments, are written as \xNN), printed
/// after the usage text.
/// </summary>
public sealed class UsageException(string detail) : Exception(OneLine(detail))
{
    /// <summary>The line the Python loader printed, which callers and scripts know.</summary>
    public const string UsageLine = "Invalid usage. Usage: eliloader --vm <vm> <image>";

    private static string OneLine(string detail) =>
        string.Concat(detail.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
}
