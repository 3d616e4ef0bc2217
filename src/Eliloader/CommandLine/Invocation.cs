namespace Eliloader.CommandLine;

public enum InvocationKind
{
    Boot,
    Help,
    Version,
}

/// <summary>What the caller asked for on the command line.</summary>
/// <param name="CallerArgs">
/// The --args/--default_args/--extra_args values, unescaped, each followed by one
/// space: the start of the kernel command line.
/// </param>
public sealed record Invocation(
    InvocationKind Kind,
    string VmUuid,
    string Image,
    string CallerArgs,
    bool Quiet,
    bool Logging);
