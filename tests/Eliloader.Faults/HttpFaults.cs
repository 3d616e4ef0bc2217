using Eliloader.Faults.Harness;
using Eliloader.Faults.Servers;

namespace Eliloader.Faults;

/// <summary>A mirror that misbehaves on the wire: truncation, stalls, lengths, redirects, errors, headers.</summary>
[Collection(FaultSuite.Collection)]
public sealed class HttpFaults(FaultSuite suite) : FaultCategory(suite)
{
    internal const string Unreachable = "Unable to access a required file in the specified repository: {repo}vmlinuz.";
    internal const string KernelFailed = "Download of '{repo}vmlinuz' failed: ";
    private const string Malformed = "'{repo}vmlinuz' was answered with a malformed Content-Length: ";

    internal static FaultCase Mirror(string name, Expected expected, Func<HostileRequest, Task> hostile, string path = "vmlinuz") =>
        new(name, expected, host =>
        {
            var server = host.Own(new HostileHttpServer(path, hostile));
            host.NetworkVm(server.Url);
            host.Boot();
        });

    /// <summary>HEAD is answered as a good mirror would, only the GET misbehaves.</summary>
    internal static FaultCase OnGet(string name, Expected expected, Func<HostileRequest, Task> hostile, string path = "vmlinuz") =>
        Mirror(name, expected, request => request.Method == "GET" ? hostile(request) : request.Ok(HostileHttpServer.Kernel), path);

    internal static Task Announce(HostileRequest request, string length, int sent) =>
        request.Answer("200 OK", $"Content-Length: {length}\r\n", new byte[sent]);

    private static readonly FaultCase TruncatedKernel =
        OnGet("truncated kernel", Expected.Error("INVALID_SOURCE", KernelFailed + "the connection ended early"),
            r => Announce(r, "100000", 1000));

    private static readonly FaultCase[] Cases =
    [
        TruncatedKernel,
        TruncatedKernel.InCodeLines(),
        OnGet("truncated ramdisk", Expected.Error("INVALID_SOURCE", "Download of '{repo}initrd' failed: the connection ended early"),
            r => Announce(r, "100000", 1000), path: "initrd"),
        OnGet("stall after the headers", Expected.Error("INVALID_SOURCE", KernelFailed + "no data received for 2 seconds"),
            async r =>
            {
                await r.Send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n");
                await r.Send(new byte[10]);
                await r.Hold();
            }),
        Mirror("stall before any answer", Expected.Error("INVALID_SOURCE", Unreachable), r => r.Hold()),
        OnGet("stall before the GET's answer", Expected.Error("INVALID_SOURCE", Unreachable), r => r.Hold()),
        Mirror("connection closed without an answer", Expected.Error("INVALID_SOURCE", Unreachable), _ => Task.CompletedTask),
        OnGet("Content-Length shorter than the body", Expected.Boots(), r => Announce(r, "1000", 5000)),
        OnGet("Content-Length -5", Expected.Error("INVALID_SOURCE", Malformed + "'-5'."), r => Announce(r, "-5", 1000)),
        OnGet("Content-Length garbage", Expected.Error("INVALID_SOURCE", Malformed + "'lots'."), r => Announce(r, "lots", 1000)),
        OnGet("Content-Length beyond 64 bits", Expected.Error("INVALID_SOURCE", Malformed + "'99999999999999999999999'."), r => Announce(r, "99999999999999999999999", 1000)),
        OnGet("Content-Length twice, different", Expected.Error("INVALID_SOURCE", Malformed + "'10, 20'."),
            r => r.Answer("200 OK", "Content-Length: 10\r\nContent-Length: 20\r\n", new byte[20])),
        OnGet("drip, a byte a second", Expected.Error("INVALID_SOURCE", KernelFailed + "slower than download-min-rate 1024 bytes/s").Within(15), async r =>
        {
            await r.Send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n");
            while (!r.Stopping.IsCancellationRequested)
            {
                await r.Send([0]);
                await Task.Delay(1000, r.Stopping);
            }
        }),
        OnGet("Content-Length over the kernel limit", Expected.Error("LIMITS", "File '{repo}vmlinuz' exceeds limit of 33554432 bytes").Within(5),
            r => Announce(r, "1000000000000", 10)),
        OnGet("no Content-Length, endless body", Expected.Error("LIMITS", "File '{repo}vmlinuz' exceeds limit of 33554432 bytes"),
            async r =>
            {
                await r.Send("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
                var chunk = new byte[1 << 16];
                while (!r.Stopping.IsCancellationRequested)
                    await r.Send(chunk);
            }),
        OnGet("chunked, endless", Expected.Error("LIMITS", "File '{repo}vmlinuz' exceeds limit of 33554432 bytes"),
            async r =>
            {
                await r.Send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
                var chunk = System.Text.Encoding.ASCII.GetBytes("10000\r\n" + new string('k', 0x10000) + "\r\n");
                while (!r.Stopping.IsCancellationRequested)
                    await r.Send(chunk);
            }),
        OnGet("chunked, garbage chunk size", Expected.Error("INVALID_SOURCE", KernelFailed),
            r => r.Send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")),
        OnGet("chunked, size past 64 bits", Expected.Error("INVALID_SOURCE", KernelFailed),
            r => r.Send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nhello\r\n")),
        OnGet("redirect to ftp", Expected.Error("INVALID_SOURCE", "'{repo}vmlinuz' redirects to 'ftp://127.0.0.1/vmlinuz': only http and https redirects are followed."),
            r => r.Redirect("ftp://127.0.0.1/vmlinuz")),
        OnGet("redirect to gopher", Expected.Error("INVALID_SOURCE", "'{repo}vmlinuz' redirects to 'gopher://127.0.0.1/vmlinuz': only http and https redirects are followed."),
            r => r.Redirect("gopher://127.0.0.1/vmlinuz")),
        OnGet("redirect to file:///etc/passwd", Expected.Error("INVALID_SOURCE", "'{repo}vmlinuz' redirects to 'file:///etc/passwd': only http and https redirects are followed."),
            r => r.Redirect("file:///etc/passwd")),
        OnGet("301 to file:///etc/shadow", Expected.Error("INVALID_SOURCE", "'{repo}vmlinuz' redirects to 'file:///etc/shadow': only http and https redirects are followed."),
            r => r.Answer("301 Moved Permanently", "Location: file:///etc/shadow\r\nContent-Length: 0\r\n", [])),
        Mirror("redirect to itself", Expected.Error("INVALID_SOURCE", Unreachable), r => r.Redirect("/vmlinuz")),
        Mirror("redirect without a Location", Expected.Error("INVALID_SOURCE", Unreachable), r => r.Status("302 Found")),
        Mirror("redirect to a garbage Location", Expected.Error("INVALID_SOURCE", "'{repo}vmlinuz' redirects to 'http://[::1', which is not a URL."), r => r.Redirect("http://[::1")),
        Mirror("500", Expected.Error("INVALID_SOURCE", Unreachable), r => r.Status("500 Internal Server Error")),
        Mirror("502", Expected.Error("INVALID_SOURCE", Unreachable), r => r.Status("502 Bad Gateway")),
        Mirror("503 with Retry-After", Expected.Error("INVALID_SOURCE", Unreachable),
            r => r.Answer("503 Service Unavailable", "Retry-After: 3600\r\nContent-Length: 0\r\n", [])),
        OnGet("500 on the GET after a good HEAD", Expected.Error("INVALID_SOURCE", Unreachable), r => r.Status("500 Internal Server Error")),
        Mirror("1 MB of headers", Expected.Error("INVALID_SOURCE", Unreachable),
            r => r.Answer("200 OK", string.Concat(Enumerable.Range(0, 10_000).Select(i => $"X-Padding-{i}: {new string('x', 100)}\r\n")) + "Content-Length: 0\r\n", [])),
        Mirror("a header line without end", Expected.Error("INVALID_SOURCE", Unreachable),
            async r =>
            {
                await r.Send("HTTP/1.1 200 OK\r\nX-Endless: ");
                var chunk = HostileHttpServer.Filled(1 << 16, (byte)'x');
                while (!r.Stopping.IsCancellationRequested)
                    await r.Send(chunk);
            }),
        Mirror("garbage status line", Expected.Error("INVALID_SOURCE", Unreachable), r => r.Send("HELLO THERE\r\n\r\n")),
        Mirror("HTTP/0.9 answer without a status", Expected.Error("INVALID_SOURCE", Unreachable), r => r.Send(new byte[5000])),
        Mirror("status 999", Expected.Error("INVALID_SOURCE", Unreachable), r => r.Status("999 Whatever")),
        Mirror("endless 1xx answers", Expected.Error("INVALID_SOURCE", Unreachable),
            async r =>
            {
                while (!r.Stopping.IsCancellationRequested)
                    await r.Send("HTTP/1.1 102 Processing\r\n\r\n");
            }),
    ];
}
