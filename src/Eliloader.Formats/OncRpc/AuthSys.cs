using System.Text;

namespace Eliloader.Formats.OncRpc;

/// <summary>
/// The AUTH_SYS credential (RFC 5531 appendix A): a stamp, the client's machine name,
/// a uid, a gid and up to 16 further gids, carried as the body of an opaque_auth.
/// </summary>
public sealed record AuthSys(string MachineName, uint Uid, uint Gid, uint Stamp = 0)
{
    public const uint Flavor = 1;
    public const int MaxMachineName = 255;

    /// <summary>The credential as an opaque_auth: flavor, then the body as opaque data.</summary>
    public void Write(XdrWriter writer)
    {
        var name = Encoding.UTF8.GetBytes(MachineName);
        if (name.Length > MaxMachineName)
            throw new ArgumentException($"machine name of {name.Length} bytes, more than the {MaxMachineName} AUTH_SYS allows", nameof(MachineName));
        var body = new XdrWriter().UInt32(Stamp).Opaque(name).UInt32(Uid).UInt32(Gid).UInt32(0);
        writer.UInt32(Flavor).Opaque(body.Written);
    }
}
