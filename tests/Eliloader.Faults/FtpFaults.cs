using Eliloader.Faults.Harness;
using Eliloader.Faults.Servers;

namespace Eliloader.Faults;

/// <summary>An FTP mirror that misbehaves: greetings, logins, replies, sizes, passive ports and data connections.</summary>
[Collection(FaultSuite.Collection)]
public sealed class FtpFaults(FaultSuite suite) : FaultCategory(suite)
{
    internal const string Unreachable = "Unable to access a required file in the specified repository: {repo}vmlinuz.";
    internal const string KernelFailed = "Download of '{repo}vmlinuz' failed: ";

    internal static FaultCase Server(string name, Expected expected, Func<HostileFtpServer> make, Action<FaultHost>? tune = null) =>
        new(name, expected, host =>
        {
            var server = host.Own(make());
            host.NetworkVm(server.Url);
            tune?.Invoke(host);
            host.Boot();
        });

    internal static FaultCase Answering(string name, Expected expected, string verb, Func<FtpClientSession, string, Task> answer) =>
        Server(name, expected, () => new HostileFtpServer(new() { [verb] = answer }));

    private static FaultCase Greeting(string name, Expected expected, Func<FtpClientSession, Task> greeting) =>
        Server(name, expected, () => new HostileFtpServer { Greeting = greeting });

    internal static FaultCase Sending(string name, Expected expected, Func<Stream, byte[], CancellationToken, Task> data, Action<FaultHost>? tune = null) =>
        Server(name, expected, () => new HostileFtpServer { Data = data }, tune);

    private static readonly FaultCase[] Cases =
    [
        Greeting("421 instead of a greeting", Expected.Error("INVALID_SOURCE", Unreachable), s => s.Reply("421 too many users")),
        Greeting("garbage greeting", Expected.Error("INVALID_SOURCE", Unreachable), s => s.Reply("HELLO")),
        Greeting("no greeting", Expected.Error("INVALID_SOURCE", Unreachable), s => Task.Delay(Timeout.Infinite, s.Stopping)),
        Greeting("closes at once", Expected.Error("INVALID_SOURCE", Unreachable), _ => throw new IOException("hang up")),
        Greeting("endless multi-line greeting", Expected.Error("INVALID_SOURCE", Unreachable), async s =>
        {
            await s.Reply("220-welcome");
            while (!s.Stopping.IsCancellationRequested)
                await s.Reply("220-and welcome again");
        }),
        Greeting("a greeting line of 1 MB", Expected.Error("INVALID_SOURCE", Unreachable), s => s.Reply("220 " + new string('x', 1 << 20))),
        Answering("login refused", Expected.Error("INVALID_SOURCE", Unreachable), "PASS", (s, _) => s.Reply("530 not you")),
        Answering("binary mode refused", Expected.Error("INVALID_SOURCE", Unreachable), "TYPE", (s, _) => s.Reply("504 ASCII only")),
        Answering("SIZE over the kernel limit", Expected.Error("LIMITS", "File '{repo}vmlinuz' exceeds limit of 33554432 bytes"), "SIZE",
            (s, path) => s.Reply(HostileFtpServer.File(path) is null ? "550 no" : "213 99999999999")),
        Answering("SIZE not a number", Expected.Boots(), "SIZE", (s, path) => s.Reply(HostileFtpServer.File(path) is null ? "550 no" : "213 lots")),
        Answering("RETR refused", Expected.Error("INVALID_SOURCE", Unreachable), "RETR", (s, _) => s.Reply("550 gone meanwhile")),
        Answering("extended passive port 0", Expected.Error("INVALID_SOURCE", Unreachable), "EPSV", (s, _) => s.Reply("229 ok (|||0|)")),
        Answering("extended passive port nobody listens on", Expected.Error("INVALID_SOURCE", Unreachable), "EPSV", (s, _) => s.Reply("229 ok (|||9|)")),
        Server("classic passive mode naming another host", Expected.Boots(), () => new HostileFtpServer(new()
        {
            ["EPSV"] = (s, _) => s.Reply("500 no EPSV"),
            ["PASV"] = (s, _) =>
            {
                var port = s.Listen();
                return s.Reply($"227 Entering Passive Mode (10,255,255,1,{port / 256},{port % 256})");
            },
        })),
        Answering("no passive mode at all", Expected.Error("INVALID_SOURCE", Unreachable), "EPSV", (s, _) => s.Reply("500 no")),
        Sending("data cut short", Expected.Error("INVALID_SOURCE", KernelFailed + "received 1000 bytes of the 4096 announced"),
            (data, file, stopping) => data.WriteAsync(file.AsMemory(0, 1000), stopping).AsTask()),
        Sending("data stalls", Expected.Error("INVALID_SOURCE", KernelFailed + "no data received for 2 seconds"), async (data, file, stopping) =>
        {
            await data.WriteAsync(file.AsMemory(0, 10), stopping);
            await Task.Delay(Timeout.Infinite, stopping);
        }),
        Sending("drip, a byte a second", Expected.Error("INVALID_SOURCE", KernelFailed + "slower than download-min-rate 1024 bytes/s").Within(15), async (data, _, stopping) =>
        {
            while (!stopping.IsCancellationRequested)
            {
                await data.WriteAsync(new byte[1], stopping);
                await Task.Delay(1000, stopping);
            }
        }),
        Sending("data past the kernel limit", Expected.Error("LIMITS", "File '{repo}vmlinuz' exceeds limit of 100000 bytes"), async (data, _, stopping) =>
        {
            var chunk = new byte[1 << 16];
            while (!stopping.IsCancellationRequested)
                await data.WriteAsync(chunk, stopping);
        }, host => host.Scenario.State.Xenstore["/mh/limits/pv-kernel-max-size"] = "100000"),
        Answering("transfer ends with 426", Expected.Error("INVALID_SOURCE", KernelFailed + "the transfer ended with 426"), "RETR", async (s, path) =>
        {
            using var data = await s.AcceptData();
            await s.Reply("150 here it comes");
            await data.GetStream().WriteAsync(HostileFtpServer.File(path)!, s.Stopping);
            data.Close();
            await s.Reply("426 connection closed; transfer aborted");
        }),
    ];
}
