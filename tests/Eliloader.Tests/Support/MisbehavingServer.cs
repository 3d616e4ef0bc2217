using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Eliloader.Tests.Support;

/// <summary>
/// An HTTP server that misbehaves on purpose, chosen by the first path segment:
/// /truncate/ (announces more than it sends), /stall/ (sends a little, then nothing),
/// /status500/, /loop/ (redirects to itself), /nohead/ (refuses HEAD, serves GET).
/// Anything else is 404. Each request is recorded.
/// </summary>
public sealed class MisbehavingServer : IDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly List<string> requests = [];

    public int Port { get; }
    public string Url(string mode) => $"http://127.0.0.1:{Port}/{mode}/";

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (requests)
                return requests.ToList();
        }
    }

    public MisbehavingServer()
    {
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptLoop);
    }

    private async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            var head = await ReadHead(stream);
            var requestLine = head.Split("\r\n")[0];
            lock (requests)
                requests.Add(requestLine);
            var parts = requestLine.Split(' ');
            var (method, path) = (parts[0], parts[1]);
            var mode = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            var payload = new byte[100_000];
            switch (mode)
            {
                case "truncate":
                    await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n");
                    if (method == "GET")
                        await stream.WriteAsync(payload.AsMemory(0, 1000));
                    break;
                case "stall":
                    await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n");
                    if (method == "GET")
                    {
                        await stream.WriteAsync(payload.AsMemory(0, 10));
                        await Task.Delay(TimeSpan.FromSeconds(60), stop.Token);
                    }
                    break;
                case "status500":
                    await Write(stream, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    break;
                case "loop":
                    await Write(stream, $"HTTP/1.1 302 Found\r\nLocation: {path}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    break;
                case "nohead" when method == "HEAD":
                    await Write(stream, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    break;
                case "nohead":
                    var body = Encoding.ASCII.GetBytes("served by GET " + path);
                    await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(body);
                    break;
                default:
                    await Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    break;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // The client gave up, as it should on a stall.
        }
    }

    private static async Task<string> ReadHead(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1)
            head.Append((char)one[0]);
        return head.ToString();
    }

    private static Task Write(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
    }
}
