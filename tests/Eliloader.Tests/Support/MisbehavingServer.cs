using System.Net.Sockets;
using System.Text;

namespace Eliloader.Tests.Support;

/// <summary>
/// An HTTP server that misbehaves on purpose, chosen by the first path segment:
/// /truncate/ (announces more than it sends), /stall/ (sends a little, then nothing),
/// /status500/, /loop/ (redirects to itself), /nohead/ (refuses HEAD, serves GET),
/// /drip/ (announces 100000 bytes, then sends one every tenth of a second),
/// /stallcached/ (stalls as /stall/, with an ETag so the image cache keeps a copy),
/// /minuslength/ and /wordlength/ (Content-Length -5 and "lots"), /tofile/ (redirects
/// to file:///etc/passwd), /redirect/ (redirects to <see cref="RedirectTo"/> and the rest of the path).
/// Anything else is 404, and so are checksum lists (…SUMS, .treeinfo): these trees
/// publish none, so the misbehaviour meets the boot files themselves.
/// </summary>
public sealed class MisbehavingServer : LoopbackServer
{
    private const int Announced = 100_000;

    public string Url(string mode) => $"http://127.0.0.1:{Port}/{mode}/";

    /// <summary>Where /redirect/ sends its requests.</summary>
    public string RedirectTo { get; set; } = "";

    protected override async Task Serve(NetworkStream stream)
    {
        if (await ReadHead(stream) is not { } head)
            return;
        var parts = head[0].Split(' ');
        var (method, path) = (parts[0], parts[1]);
        var published = path.EndsWith("SUMS", StringComparison.Ordinal) || path.EndsWith("treeinfo", StringComparison.Ordinal);
        var mode = published ? "" : path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        var payload = new byte[Announced];
        switch (mode)
        {
            case "truncate":
                await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {Announced}\r\nConnection: close\r\n\r\n");
                if (method == "GET")
                    await stream.WriteAsync(payload.AsMemory(0, 1000));
                break;
            case "stall" or "stallcached":
                var etag = mode == "stallcached" ? "ETag: \"stalling\"\r\n" : "";
                await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {Announced}\r\n{etag}Connection: close\r\n\r\n");
                if (method == "GET")
                {
                    await stream.WriteAsync(payload.AsMemory(0, 10));
                    await Task.Delay(TimeSpan.FromSeconds(60), Stopping.Token);
                }
                break;
            case "drip":
                await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {Announced}\r\nConnection: close\r\n\r\n");
                for (var sent = 0; method == "GET" && sent < Announced; sent++)
                {
                    await stream.WriteAsync(payload.AsMemory(0, 1), Stopping.Token);
                    await Task.Delay(TimeSpan.FromMilliseconds(100), Stopping.Token);
                }
                break;
            case "minuslength" or "wordlength":
                var length = mode == "minuslength" ? "-5" : "lots";
                await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n");
                if (method == "GET")
                    await stream.WriteAsync(payload.AsMemory(0, 1000));
                break;
            case "tofile":
                await Write(stream, "HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                break;
            case "redirect":
                await Write(stream, $"HTTP/1.1 302 Found\r\nLocation: {RedirectTo}{path[(mode.Length + 2)..]}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
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
}
