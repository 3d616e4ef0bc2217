using System.Net.Sockets;

namespace XapiSimulator;

/// <summary>
/// Accepts on a Unix socket until stopped and serves each connection on a task of its
/// own; a client that goes away ends only its own connection.
/// </summary>
public static class UnixSocketServer
{
    /// <returns>The listening socket; disposing it stops the accepting.</returns>
    public static Socket Listen(string path, Func<NetworkStream, Task> serve, CancellationToken stopping)
    {
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(64);
        _ = Task.Run(async () =>
        {
            while (!stopping.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await listener.AcceptAsync(stopping);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
                _ = Task.Run(async () =>
                {
                    using var stream = new NetworkStream(client, ownsSocket: true);
                    try
                    {
                        await serve(stream);
                    }
                    catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
                    {
                        // The client went away, or the server is stopping.
                    }
                });
            }
        });
        return listener;
    }
}
