using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Xml;
using Eliloader.Formats.XmlRpc;

namespace Eliloader.Xen.XenApi;

/// <summary>
/// One XML-RPC call per connection, as HTTP/1.1 POST / over xapi's local Unix socket.
/// xapi answers with Content-Length; a server that closes instead is read to the end.
/// </summary>
public sealed class XmlRpcOverUnixSocket(IReadOnlyList<string> socketPaths, TimeSpan timeout)
{
    private const int MaxResponseBytes = 16 << 20;
    private const int MaxHeaderBytes = 64 << 10;
    private const int ReadBufferBytes = 8 << 10;

    public object Call(string method, IEnumerable<object> parameters)
    {
        try
        {
            return Exchange(method, parameters);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            throw new IOException($"xapi call {method}: {e.Message}", e);
        }
    }

    private object Exchange(string method, IEnumerable<object> parameters)
    {
        var body = XmlRpcWriter.WriteCall(method, parameters);
        using var socket = UnixSocketPaths.ConnectFirst(socketPaths, SocketType.Stream, "xapi");
        socket.ReceiveTimeout = socket.SendTimeout = (int)timeout.TotalMilliseconds;
        using var stream = new NetworkStream(socket, ownsSocket: false);
        // The headers are read a byte at a time: from a buffer, not a system call for each byte.
        using var answer = new BufferedStream(stream, ReadBufferBytes);
        var head = $"POST / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: eliloader\r\nContent-Type: text/xml\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        // One write, so the request leaves in one message rather than two.
        stream.Write([.. Encoding.ASCII.GetBytes(head), .. body]);
        var response = ReadHttpResponse(answer, method);
        try
        {
            return XmlRpcReader.ReadResponse(new MemoryStream(response));
        }
        catch (Exception e) when (e is XmlException or FormatException or OverflowException or InvalidDataException)
        {
            throw new InvalidDataException($"xapi's answer to {method} is not a usable XML-RPC response: {e.Message}", e);
        }
    }

    private static byte[] ReadHttpResponse(Stream stream, string method)
    {
        var headers = ReadHeaders(stream, method);
        var statusLine = headers[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/1.", StringComparison.Ordinal))
            throw new IOException($"xapi answered {method} with a malformed status line '{headers[0]}'");
        if (statusLine[1] != "200")
            throw new IOException($"xapi answered {method} with HTTP status {headers[0]}");
        long? length = null;
        foreach (var line in headers.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                length = ContentLength(line[(colon + 1)..].Trim(), length, method);
            if (colon > 0 && line[..colon].Trim().Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                throw new IOException($"xapi answered {method} with an unsupported Transfer-Encoding");
        }
        if (length > MaxResponseBytes)
            throw new IOException($"xapi's answer to {method} is larger than {MaxResponseBytes} bytes");
        if (length is { } exact)
        {
            var body = new byte[exact];
            var received = stream.ReadAtLeast(body, body.Length, throwOnEndOfStream: false);
            return received == body.Length
                ? body
                : throw new IOException($"xapi's answer to {method} ended after {received} of the {exact} bytes its Content-Length announced");
        }
        var rest = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            if (rest.Length + read > MaxResponseBytes)
                throw new IOException($"xapi's answer to {method} is larger than {MaxResponseBytes} bytes");
            rest.Write(buffer, 0, read);
        }
        return rest.ToArray();
    }

    /// <summary>A Content-Length that is a number of bytes, and the only one given.</summary>
    private static long ContentLength(string value, long? earlier, string method)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            throw new IOException($"xapi answered {method} with a malformed Content-Length '{value}'");
        if (earlier is { } other && other != length)
            throw new IOException($"xapi answered {method} with two Content-Lengths, {other} and {length}");
        return length;
    }

    private static List<string> ReadHeaders(Stream stream, string method)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        var total = 0;
        while (true)
        {
            var next = stream.ReadByte();
            if (next < 0)
                throw new IOException($"xapi closed the connection before answering {method}");
            if (++total > MaxHeaderBytes)
                throw new IOException($"xapi's headers for {method} are too long");
            if (next == '\n')
            {
                var text = line.ToString().TrimEnd('\r');
                line.Clear();
                if (text.Length == 0)
                {
                    if (lines.Count == 0)
                        continue;
                    return lines;
                }
                lines.Add(text);
            }
            else
            {
                line.Append((char)next);
            }
        }
    }
}
