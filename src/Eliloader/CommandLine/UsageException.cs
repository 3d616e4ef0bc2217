namespace Eliloader.CommandLine;

/// <summary>The command line is not one eliloader understands; exit status 2.</summary>
public sealed class UsageException(string detail) : Exception(detail)
{
    /// <summary>The line the Python loader printed, which callers and scripts know.</summary>
    public const string UsageLine = "Invalid usage. Usage: eliloader --vm <vm> <image>";
}
