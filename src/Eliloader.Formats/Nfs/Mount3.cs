using System.Text;
using Eliloader.Formats.OncRpc;

namespace Eliloader.Formats.Nfs;

/// <summary>MOUNT version 3 (RFC 1813 appendix I): MNT gives the file handle of an exported directory, UMNT says it is no longer used.</summary>
public static class Mount3
{
    public const uint Mnt = 1;
    public const uint Umnt = 3;
    public const int MaxPath = 1024;
    public const int MaxFlavors = 64;

    public static readonly RpcProgram Program = new(100005, 3, "MOUNT");

    /// <summary>A dirpath, at most 1024 bytes as the protocol allows.</summary>
    public static byte[] PathArguments(string directory)
    {
        var path = Encoding.UTF8.GetBytes(directory);
        if (path.Length > MaxPath)
            throw new ArgumentException($"an export path of {path.Length} bytes, more than the {MaxPath} MOUNT allows", nameof(directory));
        return new XdrWriter().Opaque(path).ToArray();
    }

    /// <summary>
    /// The export's root file handle. A server that lists the flavors it accepts must
    /// list AUTH_SYS, the only one this client speaks.
    /// </summary>
    public static byte[] ReadMnt(XdrReader reader)
    {
        var status = reader.UInt32("the mount status");
        if (status != 0)
            throw new NfsStatusException("MNT", status);
        var handle = reader.Opaque(Nfs3.MaxHandle, "the file handle").ToArray();
        var count = reader.Count(MaxFlavors, "the auth flavors");
        var flavors = Enumerable.Range(0, count).Select(_ => reader.UInt32("an auth flavor")).ToList();
        if (count > 0 && !flavors.Contains(AuthSys.Flavor))
            throw new InvalidDataException($"MOUNT: the export accepts auth flavors {string.Join(", ", flavors)}, not AUTH_SYS (1)");
        return handle;
    }
}
