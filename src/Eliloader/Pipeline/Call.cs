using Eliloader.CommandLine;

namespace Eliloader.Pipeline;

/// <summary>How this run was called: the parsed invocation and the argv exactly as received (pygrub gets it unchanged).</summary>
public sealed record Call(Invocation Invocation, IReadOnlyList<string> Argv)
{
    public string VmUuid => Invocation.VmUuid;
    public string Image => Invocation.Image;
}
