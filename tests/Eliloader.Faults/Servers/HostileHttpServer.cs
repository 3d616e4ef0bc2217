using System.Net.Sockets;
using System.Text;
using Eliloader.Tests.Support;

namespace Eliloader.Faults.Servers;

/// <summary>One request to a <see cref="HostileHttpServer"/>, with the ways of answering it.</summary>
public sealed class HostileRequest(string method, string path, NetworkStream stream, CancellationToken stopping)
{
    public string Method { get; } = method;
    public string Path { get; } = path;
    public NetworkStream Stream { get; } = stream;
    public CancellationToken Stopping { get; } = stopping;

    public Task Send(string text) => Send(Encoding.ASCII.GetBytes(text));

    public Task Send(byte[] bytes) => Stream.WriteAsync(bytes, Stopping).AsTask();

    /// <summary>A status line and headers (Connection: close added), then the body on a GET.</summary>
    public async Task Answer(string status, string headers, byte[] body)
    {
        await Send($"HTTP/1.1 {status}\r\n{headers}Connection: close\r\n\r\n");
        if (Method == "GET")
            await Send(body);
    }

    public Task Ok(byte[] body) => Answer("200 OK", $"Content-Length: {body.Length}\r\n", body);

    public Task Status(string status) => Answer(status, "Content-Length: 0\r\n", []);

    public Task Redirect(string location) => Answer("302 Found", $"Location: {location}\r\nContent-Length: 0\r\n", []);

    /// <summary>Keeps the connection open and silent until the server stops.</summary>
    public Task Hold() => Task.Delay(Timeout.Infinite, Stopping);
}

/// <summary>
/// An HTTP mirror on 127.0.0.1 holding a kernel ("vmlinuz") and a ramdisk ("initrd") of
/// stand-in bytes, one of whose paths misbehaves as the case scripts it; every other
/// path is 404, so the tree publishes no checksums and the misbehaviour meets the boot
/// files themselves. One request per connection.
/// </summary>
public sealed class HostileHttpServer(string hostilePath, Func<HostileRequest, Task> hostile) : LoopbackServer
{
    public static readonly byte[] Kernel = Filled(4096, (byte)'k');
    public static readonly byte[] Ramdisk = Filled(8192, (byte)'r');

    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>A mirror that behaves, for cases whose fault lies elsewhere.</summary>
    public static HostileHttpServer Good() => new("", request => request.Status("404 Not Found"));

    public static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    protected override async Task Serve(NetworkStream stream)
    {
        if (await ReadHead(stream) is not { } head)
            return;
        var parts = head[0].Split(' ');
        var request = new HostileRequest(parts[0], parts.Length > 1 ? parts[1] : "", stream, Stopping.Token);
        var path = request.Path.TrimStart('/');
        if (path == hostilePath)
            await hostile(request);
        else if (path == "vmlinuz")
            await request.Ok(Kernel);
        else if (path == "initrd")
            await request.Ok(Ramdisk);
        else
            await request.Status("404 Not Found");
    }
}
