using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using XapiSimulator;

namespace Eliloader.Faults.Servers;

/// <summary>
/// A XenAPI socket in front of the XapiSimulator: every call goes through to the
/// simulator except those of one method, which get the bytes the case scripts (a
/// malformed answer, a wrong length, silence). "*" names every method.
/// </summary>
public sealed partial class HostileXapi : IDisposable
{
    private readonly Socket listener;
    private readonly string simulator;
    private readonly string method;
    private readonly Func<NetworkStream, Task> answer;
    private readonly CancellationTokenSource stopping = new();

    public string Path { get; }

    /// <summary>How long every call that goes through waits first: a slow XAPI.</summary>
    public TimeSpan Delay { get; init; }

    public HostileXapi(string path, string simulatorSocket, string method, Func<NetworkStream, Task> answer)
    {
        Path = path;
        simulator = simulatorSocket;
        this.method = method;
        this.answer = answer;
        listener = UnixSocketServer.Listen(path, Serve, stopping.Token);
    }

    /// <summary>An HTTP answer carrying this XML-RPC body, with its true length unless the case gives another.</summary>
    public static Func<NetworkStream, Task> Body(string xml, string? contentLength = null) => stream =>
    {
        var body = Encoding.UTF8.GetBytes(xml);
        var head = $"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {contentLength ?? body.Length.ToString()}\r\n\r\n";
        return stream.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(body).ToArray()).AsTask();
    };

    public static Func<NetworkStream, Task> Raw(string text) => stream => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    /// <summary>An XML-RPC methodResponse whose one value is this XML.</summary>
    public static string Response(string value) =>
        $"<?xml version=\"1.0\"?><methodResponse><params><param><value>{value}</value></param></params></methodResponse>";

    /// <summary>A XenAPI Failure whose ErrorDescription is this XML value.</summary>
    public static string Failure(string errorDescription) =>
        Response($"<struct><member><name>Status</name><value>Failure</value></member><member><name>ErrorDescription</name><value>{errorDescription}</value></member></struct>");

    private async Task Serve(NetworkStream stream)
    {
        var request = await ReadMessage(stream);
        var called = MethodName().Match(Encoding.UTF8.GetString(request)).Groups[1].Value;
        if (method == "*" || called == method)
        {
            await answer(stream);
            await Task.Delay(TimeSpan.FromSeconds(1), stopping.Token);
            return;
        }
        await Task.Delay(Delay, stopping.Token);
        using var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await upstream.ConnectAsync(new UnixDomainSocketEndPoint(simulator));
        using var forward = new NetworkStream(upstream, ownsSocket: false);
        await forward.WriteAsync(request);
        await stream.WriteAsync(await ReadMessage(forward));
    }

    /// <summary>One HTTP message, head and Content-Length body, as bytes.</summary>
    private static async Task<byte[]> ReadMessage(NetworkStream stream)
    {
        var message = new List<byte>();
        var one = new byte[1];
        while (!(message.Count >= 4 && message[^4] == '\r' && message[^3] == '\n' && message[^2] == '\r' && message[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
                throw new IOException("closed inside the head");
            message.Add(one[0]);
        }
        var length = int.Parse(ContentLength().Match(Encoding.ASCII.GetString(message.ToArray())).Groups[1].Value);
        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
        return [.. message, .. body];
    }

    [GeneratedRegex("<methodName>([^<]*)</methodName>")]
    private static partial Regex MethodName();

    [GeneratedRegex(@"(?i)content-length:\s*(\d+)")]
    private static partial Regex ContentLength();

    public void Dispose()
    {
        stopping.Cancel();
        listener.Dispose();
    }
}
