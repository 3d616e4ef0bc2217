using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Eliloader.Tests.Support;

/// <summary>
/// A forward HTTP proxy on 127.0.0.1 that records each request line (absolute URIs)
/// and relays the exchange to the origin server.
/// </summary>
public sealed class RecordingProxy : IDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly List<string> requests = [];

    public string Url => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/";

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (requests)
                return requests.ToList();
        }
    }

    public RecordingProxy()
    {
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var client = await listener.AcceptTcpClientAsync(stop.Token);
                    _ = Task.Run(() => Relay(client));
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
            }
        });
    }

    private async Task Relay(TcpClient client)
    {
        using var _ = client;
        var downstream = client.GetStream();
        try
        {
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await downstream.ReadAsync(one) == 0)
                    return;
                head.Append((char)one[0]);
            }
            var lines = head.ToString().Split("\r\n");
            lock (requests)
                requests.Add(lines[0]);
            var parts = lines[0].Split(' ');
            var target = new Uri(parts[1]);
            using var origin = new TcpClient(target.Host, target.Port);
            var upstream = origin.GetStream();
            var forwarded = new StringBuilder($"{parts[0]} {target.PathAndQuery} {parts[2]}\r\n");
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0 && !l.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)))
                forwarded.Append(line).Append("\r\n");
            // One exchange per connection: the origin closes after answering, and so does the proxy.
            forwarded.Append("Connection: close\r\n\r\n");
            await upstream.WriteAsync(Encoding.ASCII.GetBytes(forwarded.ToString()));
            await upstream.CopyToAsync(downstream);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // Either side went away.
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
    }
}
