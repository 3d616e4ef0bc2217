using System.Net.Sockets;

namespace Eliloader.Xen;

/// <summary>Connects to the first of several Unix socket paths that accepts.</summary>
public static class UnixSocketPaths
{
    public static Socket ConnectFirst(IReadOnlyList<string> paths, SocketType type, string what)
    {
        var failures = new List<string>();
        foreach (var path in paths)
        {
            var socket = new Socket(AddressFamily.Unix, type, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failures.Add($"{path}: {e.Message}");
            }
        }
        throw new IOException($"Cannot connect to {what} ({string.Join("; ", failures)})");
    }
}
