using System.Net.Sockets;
using Eliloader.Faults.Harness;
using Eliloader.Faults.Servers;
using XapiSimulator;

namespace Eliloader.Faults;

/// <summary>
/// XAPI answering oddly on its local socket: Failures of odd shapes, broken transport,
/// SESSION_INVALID loops, slow and dead sockets. A good mirror stands behind the VM.
/// </summary>
[Collection(FaultSuite.Collection)]
public sealed class XenApiFaults(FaultSuite suite) : FaultCategory(suite)
{
    internal const string Login = "session.login_with_password";

    /// <summary>A VM whose install would work, behind a XenAPI socket where <paramref name="method"/> misbehaves.</summary>
    internal static FaultCase Answering(string name, Expected expected, string method, Func<NetworkStream, Task> answer) =>
        new(name, expected, host =>
        {
            Prepare(host);
            var proxy = host.Own(new HostileXapi(Path.Combine(host.Dir, "hostile-xapi"), host.Scenario.XapiSocket, method, answer));
            host.Config["xapi-socket"] = proxy.Path;
            host.Boot();
        });

    private static void Prepare(FaultHost host)
    {
        var mirror = host.Own(HostileHttpServer.Good());
        host.NetworkVm(mirror.Url);
        _ = host.Scenario.Simulator;
    }

    /// <summary>The simulator itself answers with a Failure (or drops the call) the given number of times.</summary>
    private static FaultCase Failing(string name, Expected expected, Fault fault) =>
        new(name, expected, host =>
        {
            Prepare(host);
            host.Scenario.State.Faults.Add(fault);
            host.Boot();
        });

    internal static string Array(params string[] values) => "<array><data>" + string.Concat(values.Select(v => $"<value>{v}</value>")) + "</data></array>";

    private static readonly FaultCase[] Cases =
    [
        Answering("Failure with an empty ErrorDescription", Expected.Error("INTERNAL_ERROR", Login), Login, HostileXapi.Body(HostileXapi.Failure(Array()))),
        Answering("Failure whose ErrorDescription is a string", Expected.Error("INTERNAL_ERROR", Login), Login, HostileXapi.Body(HostileXapi.Failure("HANDLE_INVALID"))),
        Answering("Failure whose ErrorDescription is an int", Expected.Error("INTERNAL_ERROR", Login), Login, HostileXapi.Body(HostileXapi.Failure("<int>42</int>"))),
        Answering("answer without a Status", Expected.Error("INTERNAL_ERROR", Login), Login,
            HostileXapi.Body(HostileXapi.Response("<struct><member><name>Value</name><value>x</value></member></struct>"))),
        Answering("Status neither Success nor Failure", Expected.Error("INTERNAL_ERROR", Login), Login,
            HostileXapi.Body(HostileXapi.Response("<struct><member><name>Status</name><value>Maybe</value></member></struct>"))),
        Answering("answer not a struct", Expected.Error("INTERNAL_ERROR", Login), Login, HostileXapi.Body(HostileXapi.Response("<int>1</int>"))),
        Answering("Failure whose first element is a struct", Expected.Error("INTERNAL_ERROR", Login), Login,
            HostileXapi.Body(HostileXapi.Failure(Array("<struct><member><name>code</name><value>X</value></member></struct>", "p")))),
        Answering("Content-Length -5", Expected.Error("INTERNAL_ERROR", Login), Login, HostileXapi.Body(HostileXapi.Response("x"), contentLength: "-5")),
        Answering("Content-Length lots", Expected.Error("INTERNAL_ERROR", Login), Login, HostileXapi.Body(HostileXapi.Response("x"), contentLength: "lots")),
        Answering("a fault instead of a result", Expected.Error("INTERNAL_ERROR", Login), Login,
            HostileXapi.Body("<?xml version=\"1.0\"?><methodResponse><fault><value><string>no</string></value></fault></methodResponse>")),
        Answering("malformed XML", Expected.Error("INTERNAL_ERROR", Login), Login, HostileXapi.Body("<methodResponse><params><param><value><struct>")),
        Answering("values nested 10,000 deep", Expected.Error("INTERNAL_ERROR", Login + "…nested too deeply"), Login,
            HostileXapi.Body(HostileXapi.Response(string.Concat(Enumerable.Repeat("<array><data><value>", 10_000)) + "x" + string.Concat(Enumerable.Repeat("</value></data></array>", 10_000))))),
        Answering("Content-Length past the body", Expected.Error("INTERNAL_ERROR", Login), Login, HostileXapi.Body(HostileXapi.Response("x"), contentLength: "5000")),
        Answering("other-config an array", Expected.Error("INTERNAL_ERROR", "VM.get_other_config"), "VM.get_other_config",
            HostileXapi.Body(HostileXapi.Response($"<struct><member><name>Status</name><value>Success</value></member><member><name>Value</name><value>{Array("a", "b")}</value></member></struct>"))),
        Answering("session reference not a string", Expected.Error("INTERNAL_ERROR", Login), Login,
            HostileXapi.Body(HostileXapi.Response("<struct><member><name>Status</name><value>Success</value></member><member><name>Value</name><value><int>7</int></value></member></struct>"))),
        Answering("HTTP 500", Expected.Error("INTERNAL_ERROR", Login + "…HTTP status"), Login,
            HostileXapi.Raw("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n")),
        Answering("garbage status line", Expected.Error("INTERNAL_ERROR", Login + "…malformed status line"), Login, HostileXapi.Raw("SPDY/9 yes\r\n\r\n")),
        Answering("answer of 100 MB announced", Expected.Error("INTERNAL_ERROR", Login + "…larger than"), Login,
            HostileXapi.Body(HostileXapi.Response("x"), contentLength: "100000000")),
        Answering("chunked answer", Expected.Error("INTERNAL_ERROR", Login + "…Transfer-Encoding"), Login,
            HostileXapi.Raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")),
        Answering("endless headers", Expected.Error("INTERNAL_ERROR", Login + "…headers"), Login,
            async stream =>
            {
                await stream.WriteAsync("HTTP/1.1 200 OK\r\n"u8.ToArray());
                var line = System.Text.Encoding.ASCII.GetBytes("X-Pad: " + new string('x', 1000) + "\r\n");
                for (var i = 0; i < 200; i++)
                    await stream.WriteAsync(line);
            }),
        Answering("closed without an answer", Expected.Error("INTERNAL_ERROR", Login + "…closed the connection"), Login, _ => Task.CompletedTask),
        new("slow answers, 300 ms each", Expected.Boots(), host =>
        {
            Prepare(host);
            var proxy = host.Own(new HostileXapi(Path.Combine(host.Dir, "slow-xapi"), host.Scenario.XapiSocket, "", HostileXapi.Raw(""))
            {
                Delay = TimeSpan.FromMilliseconds(300),
            });
            host.Config["xapi-socket"] = proxy.Path;
            host.Boot();
        }),
        new("socket with nobody listening", Expected.Error("INTERNAL_ERROR", "{dir}/dead-xapi"), host =>
        {
            Prepare(host);
            var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            dead.Bind(new UnixDomainSocketEndPoint(Path.Combine(host.Dir, "dead-xapi")));
            dead.Dispose();
            host.Config["xapi-socket"] = Path.Combine(host.Dir, "dead-xapi");
            host.Boot();
        }),
        Failing("SESSION_INVALID for ever", Expected.Error("SESSION_INVALID", "OpaqueRef:stale"),
            new Fault { Method = "VM.get_other_config", Error = ["SESSION_INVALID", "OpaqueRef:stale"], Times = 1000 }),
        Failing("SESSION_INVALID on login", Expected.Error("SESSION_INVALID", "OpaqueRef:none"),
            new Fault { Method = Login, Error = ["SESSION_INVALID", "OpaqueRef:none"], Times = 1000 }),
        Failing("an unknown code with 1,000 parameters", Expected.Error("ODD_FAILURE", "p0\np1\n…p999"),
            new Fault { Method = "VM.get_other_config", Error = ["ODD_FAILURE", .. Enumerable.Range(0, 1000).Select(i => $"p{i}")] }),
        Failing("set_PV_bootloader fails after the downloads", Expected.Error("HANDLE_INVALID", "VM\nOpaqueRef:gone"),
            new Fault { Method = "VM.set_PV_bootloader", Error = ["HANDLE_INVALID", "VM", "OpaqueRef:gone"] }),
        Failing("the connection dropped at set_PV_bootloader", Expected.Error("INTERNAL_ERROR", "VM.set_PV_bootloader"),
            new Fault { Method = "VM.set_PV_bootloader", Drop = true }),
        new("SESSION_INVALID in the code-lines dialect", Expected.Error("SESSION_INVALID", "OpaqueRef:stale").InCodeLines(), host =>
        {
            Prepare(host);
            host.Config["error-format"] = "code-lines";
            host.Scenario.State.Faults.Add(new Fault { Method = "VM.get_other_config", Error = ["SESSION_INVALID", "OpaqueRef:stale"], Times = 1000 });
            host.Boot();
        }),
    ];
}
