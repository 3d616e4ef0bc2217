using Eliloader.Faults.Harness;
using Eliloader.Faults.Servers;
using Eliloader.Tests.Support;

namespace Eliloader.Faults;

/// <summary>
/// SIGTERM (the toolstack cancelling a VM start), SIGINT and SIGHUP at points of a run:
/// the run ends by the signal and leaves no file, no partial cache object and no process.
/// </summary>
[Collection(FaultSuite.Collection)]
public sealed class SignalFaults(FaultSuite suite) : FaultCategory(suite)
{
    /// <summary>Starts a first boot, waits until <paramref name="reached"/> holds, signals it and waits for its end.</summary>
    /// <param name="arrange">Sets the case up; returns the image argument.</param>
    internal static FaultCase At(string name, int signal, Func<FaultHost, string> arrange, Func<FaultHost, bool> reached) =>
        new(name, Expected.Ends(Signals.Name(signal), signal), host =>
        {
            var image = arrange(host);
            // Long enough that no timeout of eliloader's ends the run before the signal does.
            host.Config["download-timeout"] = "60";
            var run = host.Start("-q", "--vm", Scenario.VmUuid, image);
            host.Check(FaultHost.WaitFor(() => reached(host), TimeSpan.FromSeconds(20)), "the run never reached the point where the signal was to come");
            run.Signal(signal);
            host.Finish(run);
        });

    /// <summary>A mirror whose file at <paramref name="path"/> stalls after ten bytes of its GET.</summary>
    internal static HostileHttpServer Stalling(FaultHost host, string path)
    {
        var server = host.Own(new HostileHttpServer(path, async r =>
        {
            if (r.Method != "GET")
            {
                await r.Ok(new byte[100_000]);
                return;
            }
            await r.Send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n");
            await r.Send(new byte[10]);
            await r.Hold();
        }));
        host.NetworkVm(server.Url);
        return server;
    }

    private static FaultCase InKernelDownload(int signal) =>
        At($"{Signals.Name(signal)} during the kernel download", signal, host =>
        {
            Stalling(host, "vmlinuz");
            return "";
        }, host => host.BootFiles("vmlinuz-") > 0);

    private static readonly FaultCase[] Cases =
    [
        InKernelDownload(Signals.Terminate),
        InKernelDownload(Signals.Interrupt),
        InKernelDownload(Signals.Hangup),
        At("SIGTERM during the ramdisk download", Signals.Terminate, host =>
        {
            Stalling(host, "initrd");
            return "";
        }, host => host.BootFiles("ramdisk-") > 0),
        At("SIGTERM while a HEAD goes unanswered", Signals.Terminate, host =>
        {
            var server = host.Own(new HostileHttpServer("vmlinuz", r => r.Hold()));
            host.NetworkVm(server.Url);
            host.Tokens["server"] = server.Url;
            return "";
        }, host => host.Outcomes.Count == 0 && HeadArrived(host)),
        At("SIGTERM while XenAPI is silent", Signals.Terminate, host =>
        {
            host.NetworkVm("http://127.0.0.1:9/");
            _ = host.Scenario.Simulator;
            var proxy = host.Own(new HostileXapi(Path.Combine(host.Dir, "silent-xapi"), host.Scenario.XapiSocket, "VM.get_other_config", _ => Task.Delay(Timeout.Infinite)));
            host.Config["xapi-socket"] = proxy.Path;
            return "";
        }, host => host.Scenario.Simulator.Calls.Any(c => c.Method == "VM.get_by_uuid")),
        At("SIGTERM while the ramdisk is patched", Signals.Terminate, host =>
        {
            RamdiskFaults.Serve(host, Inputs.Tools.Script("cd \"$(dirname \"$OUT\")\" && head -c 64M /dev/urandom > data && echo data | cpio -o -H newc --quiet > \"$OUT\" && rm data"));
            host.Scenario.State.Xenstore.Remove("/mh/limits/pv-ramdisk-max-size");
            return "";
        }, host => host.BootFiles("tweaked-initrd-") > 0),
        new("SIGTERM twice", Expected.Ends("SIGTERM", Signals.Terminate), host =>
        {
            Stalling(host, "vmlinuz");
            host.Config["download-timeout"] = "60";
            var run = host.Start("-q", "--vm", Scenario.VmUuid, "");
            host.Check(FaultHost.WaitFor(() => host.BootFiles("vmlinuz-") > 0, TimeSpan.FromSeconds(20)), "the download never began");
            run.Signal(Signals.Terminate);
            try
            {
                run.Signal(Signals.Terminate);
            }
            catch (InvalidOperationException)
            {
                // Gone already.
            }
            host.Finish(run);
        }),
        new("SIGTERM at once", Expected.Ends("SIGTERM", Signals.Terminate), host =>
        {
            Stalling(host, "vmlinuz");
            var run = host.Start("-q", "--vm", Scenario.VmUuid, "");
            run.Signal(Signals.Terminate);
            host.Finish(run);
        }),
        // The cache's partial download stays behind a SIGKILL; the next run that takes a cache lock removes it.
        new FaultCase("SIGKILL mid-download, then another boot", Expected.Boots(), host =>
        {
            var stalled = 0;
            var server = host.Own(new HostileHttpServer("vmlinuz", async r =>
            {
                if (r.Method != "GET" || Interlocked.Increment(ref stalled) > 1)
                {
                    await r.Answer("200 OK", "Content-Length: 100000\r\nETag: \"v1\"\r\n", new byte[100_000]);
                    return;
                }
                await r.Send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n");
                await r.Send(new byte[10]);
                await r.Hold();
            }));
            host.NetworkVm(server.Url);
            host.Config["download-timeout"] = "60";
            var killed = host.Start("-q", "--vm", Scenario.VmUuid, "");
            host.Check(FaultHost.WaitFor(() => host.BootFiles("vmlinuz-") > 0, TimeSpan.FromSeconds(20)), "the download never began");
            killed.Signal(Signals.Kill);
            host.Unchecked(killed);
            foreach (var file in Directory.GetFiles(host.BootDir))
                File.Delete(file);
            host.NetworkVm(server.Url, uuid: "second-vm", domid: 8);
            host.Run("-q", "--vm", "second-vm", "");
        }),
    ];

    private static bool HeadArrived(FaultHost host) =>
        host.Scenario.Syslog.Drain().Any(m => m.Contains("limits in force"));
}
