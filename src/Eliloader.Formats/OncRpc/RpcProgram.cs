namespace Eliloader.Formats.OncRpc;

/// <summary>An ONC RPC program at one version, and its name for messages.</summary>
public sealed record RpcProgram(uint Number, uint Version, string Name)
{
    public override string ToString() => $"{Name} (program {Number} version {Version})";
}
