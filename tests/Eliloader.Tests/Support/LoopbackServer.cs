using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Eliloader.Tests.Support;

/// <summary>
/// A TCP server on 127.0.0.1 for the in-process HTTP peers of the tests: accepts
/// until disposed, records each request line, and hands each connection to <see cref="Serve"/>.
/// </summary>
public abstract class LoopbackServer : IDisposable
{
    private readonly TcpListener listener;
    private readonly List<string> requests = [];

    protected CancellationTokenSource Stopping { get; } = new();

    public int Port { get; }

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (requests)
                return requests.ToList();
        }
    }

    protected LoopbackServer()
    {
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptLoop);
    }

    private async Task AcceptLoop()
    {
        while (!Stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(Stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using var _ = client;
                try
                {
                    await Serve(client.GetStream());
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                {
                    // The peer gave up, as eliloader should on a stall.
                }
            });
        }
    }

    protected abstract Task Serve(NetworkStream stream);

    /// <summary>Reads a request head up to the blank line and records its first line; null if the peer closed first.</summary>
    protected async Task<string[]?> ReadHead(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
                return null;
            head.Append((char)one[0]);
        }
        var lines = head.ToString().Split("\r\n");
        lock (requests)
            requests.Add(lines[0]);
        return lines;
    }

    protected static Task Write(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    public void Dispose()
    {
        Stopping.Cancel();
        listener.Stop();
        GC.SuppressFinalize(this);
    }
}
