using System.Net.Sockets;
using System.Text;

namespace Eliloader.Tests.Support;

/// <summary>
/// A forward HTTP proxy on 127.0.0.1 that records each request line (absolute URIs,
/// or CONNECT host:port for https) and relays the exchange to the origin server, one
/// exchange per connection. With <see cref="Refuse"/> it answers 403 to everything.
/// </summary>
public sealed class RecordingProxy : LoopbackServer
{
    public string Url => $"http://127.0.0.1:{Port}/";

    public bool Refuse { get; init; }

    protected override async Task Serve(NetworkStream downstream)
    {
        if (await ReadHead(downstream) is not { } lines)
            return;
        var parts = lines[0].Split(' ');
        if (Refuse)
        {
            await Write(downstream, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        if (parts[0] == "CONNECT")
        {
            var endpoint = parts[1].Split(':');
            using var tunnel = new TcpClient(endpoint[0], int.Parse(endpoint[1]));
            await Write(downstream, "HTTP/1.1 200 Connection established\r\n\r\n");
            var toOrigin = downstream.CopyToAsync(tunnel.GetStream());
            var fromOrigin = tunnel.GetStream().CopyToAsync(downstream);
            await Task.WhenAny(toOrigin, fromOrigin);
            return;
        }
        var target = new Uri(parts[1]);
        using var origin = new TcpClient(target.Host, target.Port);
        var upstream = origin.GetStream();
        var forwarded = new StringBuilder($"{parts[0]} {target.PathAndQuery} {parts[2]}\r\n");
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0 && !l.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)))
            forwarded.Append(line).Append("\r\n");
        // The origin closes after answering, and so does the proxy.
        forwarded.Append("Connection: close\r\n\r\n");
        await Write(upstream, forwarded.ToString());
        await upstream.CopyToAsync(downstream);
    }
}
