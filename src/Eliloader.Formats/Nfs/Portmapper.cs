using Eliloader.Formats.OncRpc;

namespace Eliloader.Formats.Nfs;

/// <summary>The portmapper, version 2 (RFC 1833): GETPORT, the TCP port a program listens on.</summary>
public static class Portmapper
{
    public const int Port = 111;
    public const uint GetPort = 3;
    private const uint Tcp = 6;

    public static readonly RpcProgram Program = new(100000, 2, "portmapper");

    /// <summary>The mapping asked about: the program, its version, TCP, and a port the server ignores.</summary>
    public static byte[] GetPortArguments(RpcProgram wanted) =>
        new XdrWriter().UInt32(wanted.Number).UInt32(wanted.Version).UInt32(Tcp).UInt32(0).ToArray();

    /// <summary>The port, or null when the program is not registered (the portmapper answers 0).</summary>
    public static int? ReadPort(XdrReader reader)
    {
        var port = reader.UInt32("the port");
        return port switch
        {
            0 => null,
            <= ushort.MaxValue => (int)port,
            _ => throw new InvalidDataException($"portmapper: port {port} is past 65535"),
        };
    }
}
