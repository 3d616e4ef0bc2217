using System.Text;
using Eliloader.Faults.Harness;
using Eliloader.Faults.Servers;

namespace Eliloader.Faults;

/// <summary>
/// xenstore with odd limits, errors and garbage replies. What cannot be read leaves the
/// limits where they were (docs/protocol.md section 7), so the boot goes on with the defaults;
/// a limit that can be read is applied.
/// </summary>
[Collection(FaultSuite.Collection)]
public sealed class XenstoreFaults(FaultSuite suite) : FaultCategory(suite)
{
    private const string Defaults = "limits in force: kernel 33554432 bytes, ramdisk 134217728 bytes";

    /// <summary>A value past a machine word stays at the end of the long range, as Python 2's int() made it a long.</summary>
    private const string HugeKernel = "limits in force: kernel 9223372036854775807 bytes";

    private static void BootChecking(FaultHost host, string logged)
    {
        var mirror = host.Own(HostileHttpServer.Good());
        host.NetworkVm(mirror.Url);
        host.Boot();
        host.Check(host.Scenario.Syslog.Drain().Any(m => m.Contains(logged)), $"syslog does not say '{logged}'");
    }

    /// <summary>The simulator's xenstore holding these nodes.</summary>
    private static FaultCase Nodes(string name, Expected expected, string logged, params (string Path, string Value)[] nodes) =>
        new(name, expected, host =>
        {
            foreach (var (path, value) in nodes)
                host.Scenario.State.Xenstore[path] = value;
            BootChecking(host, logged);
        });

    /// <summary>A xenstored that answers every request with the script; the limits stay the defaults.</summary>
    private static FaultCase Answering(string name, Func<XenstoreRequest, Task<bool>> answer) =>
        new(name, Expected.Boots(), host =>
        {
            var socket = Path.Combine(host.Dir, "hostile-xenstored");
            host.Own(new HostileXenstore(socket, answer));
            host.Config["xenstore-socket"] = socket;
            BootChecking(host, Defaults);
        });

    private const string HostKernel = "/mh/limits/pv-kernel-max-size";

    private static readonly FaultCase KernelLimitZero =
        Nodes("host kernel limit 0", Expected.Error("LIMITS", "File '{repo}vmlinuz' exceeds limit of 0 bytes"), "kernel 0 bytes", (HostKernel, "0"));

    private static readonly FaultCase[] Cases =
    [
        Nodes("host limit 'lots'", Expected.Boots(), Defaults, (HostKernel, "lots")),
        // As the Python loader's int(): a sign and surrounding blanks are read, and -1 is a limit no file fits.
        Nodes("host limit -1", Expected.Error("LIMITS", "File '{repo}vmlinuz' exceeds limit of -1 bytes"), "kernel -1 bytes", (HostKernel, "-1")),
        Nodes("host limit with blanks around it", Expected.Error("LIMITS", "File '{repo}vmlinuz' exceeds limit of 100 bytes"), "kernel 100 bytes", (HostKernel, " 100\t")),
        Nodes("host limit past 64 bits", Expected.Boots(), HugeKernel, (HostKernel, "99999999999999999999999")),
        Nodes("host limit 4000 digits long", Expected.Boots(), HugeKernel, (HostKernel, new string('9', 4000))),
        Nodes("host limit with a NUL", Expected.Boots(), Defaults, (HostKernel, "100\0000")),
        KernelLimitZero,
        KernelLimitZero.InCodeLines(),
        Nodes("VM's ramdisk limit of 1 byte", Expected.Error("LIMITS", "File '{repo}initrd' exceeds limit of 1 bytes"), "ramdisk 1 bytes",
            ("/local/domain/7/platform/pv-ramdisk-max-size", "1")),
        Nodes("domain id climbing the tree", Expected.Boots(), Defaults, ("/vm/7ec5c6a4-3b2f-4a6e-9d0a-4f3d2b1c0e9f/domains/..", "")),
        new("no xenstored at all", Expected.Boots(), host =>
        {
            host.Config["xenstore-socket"] = Path.Combine(host.Dir, "no-xenstored");
            BootChecking(host, Defaults);
        }),
        Answering("closes on every request", _ => Task.FromResult(false)),
        Answering("answers EACCES", async r =>
        {
            await r.Reply(HostileXenstore.Error, r.Id, "EACCES\0"u8.ToArray());
            return true;
        }),
        Answering("answers another request's id", async r =>
        {
            await r.Reply(r.Type, r.Id + 1, "100"u8.ToArray());
            return true;
        }),
        Answering("answers with an unknown message type", async r =>
        {
            await r.Reply(99, r.Id, "100"u8.ToArray());
            return true;
        }),
        Answering("announces a 1 GiB reply", async r =>
        {
            await r.Reply(r.Type, r.Id, "100"u8.ToArray(), statedLength: 1 << 30);
            return true;
        }),
        Answering("half a header, then silence", async r =>
        {
            await r.Stream.WriteAsync(new byte[7]);
            await Task.Delay(Timeout.Infinite, r.Stopping);
            return false;
        }),
        Answering("never answers", async r =>
        {
            await Task.Delay(Timeout.Infinite, r.Stopping);
            return false;
        }),
        Answering("lists a domain with a 4000-byte name", async r =>
        {
            await (r.Type == HostileXenstore.Directory
                ? r.Reply(new string('7', 4000) + "\0")
                : r.Reply(HostileXenstore.Error, r.Id, Encoding.ASCII.GetBytes("ENOENT\0")));
            return true;
        }),
    ];
}
