using Eliloader.CommandLine;

namespace Eliloader.Pipeline;

/// <summary>How this run was called: the parsed invocation and the argv exactly as received.</summary>
public sealed record Call(Invocation Invocation, IReadOnlyList<string> Argv)
{
    public string VmUuid => Invocation.VmUuid;
    public string Image => Invocation.Image;

    /// <summary>The caller's arguments as pygrub gets them: all but --vm.</summary>
    public IReadOnlyList<string> PygrubArgv => PygrubArguments.From(Argv);
}
