using System.Net;
using System.Net.Sockets;

namespace Eliloader.Repositories.Nfs;

/// <summary>
/// TCP connections from a reserved source port (below 1024) when running as root:
/// Linux's knfsd exports are "secure" by default and refuse other ports, as does any
/// server that trusts AUTH_SYS only from root's ports.
/// </summary>
public static class ReservedPort
{
    private const int Lowest = 512;
    private const int Highest = 1023;
    private const int Attempts = 32;

    public static Socket Connect(IPEndPoint server, bool reserved, TimeSpan timeout, string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (reserved)
                {
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                    socket.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any,
                        Random.Shared.Next(Lowest, Highest + 1)));
                }
                using var connect = new CancellationTokenSource(timeout);
                socket.ConnectAsync(server, connect.Token).AsTask().GetAwaiter().GetResult();
                return socket;
            }
            catch (SocketException e) when (reserved && attempt < Attempts && e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable)
            {
                // That port is taken, or still in TIME_WAIT towards this server: another one.
                socket.Dispose();
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                throw new NfsTimeoutException($"{name} did not accept a connection within {timeout.TotalSeconds:0} seconds");
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw new IOException($"{name}: {e.Message}", e);
            }
        }
    }
}
