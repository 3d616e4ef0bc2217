using Eliloader.Faults.Harness;
using Eliloader.Faults.Inputs;
using Eliloader.Tests.Support;

namespace Eliloader.Faults;

/// <summary>
/// Many VMs starting at once, as a pool booting a batch from one template: every run
/// ends as it would alone, each with files of its own, the cache downloads each file
/// once, and a hostile mirror or ramdisk fails them all cleanly.
/// </summary>
[Collection(FaultSuite.Collection)]
public sealed class ConcurrencyFaults(FaultSuite suite) : FaultCategory(suite)
{
    /// <summary>Starts a first boot of <paramref name="vms"/> VMs from <paramref name="repository"/> at once and waits for them all.</summary>
    private static void AtOnce(FaultHost host, string repository, int vms)
    {
        for (var i = 0; i < vms; i++)
            host.NetworkVm(repository, uuid: $"vm-{i}", domid: 100 + i);
        var runs = Enumerable.Range(0, vms).Select(i => host.Start("-q", "--vm", $"vm-{i}", "")).ToList();
        foreach (var run in runs)
            host.Finish(run);
    }

    private static string Mirror(FaultHost host)
    {
        var (tree, url) = host.Suite.Nginx.ScratchTree();
        Shell.Run($"head -c 2000000 /dev/urandom > {tree}/vmlinuz; head -c 4000000 /dev/urandom > {tree}/initrd");
        return url;
    }

    private static readonly FaultCase[] Cases =
    [
        new("20 boots, cache on: each file downloaded once", Expected.Boots().Within(60), host =>
        {
            var url = Mirror(host);
            // A run waits for another's download at most five download-timeouts: the default, not the suite's short one.
            host.Config["download-timeout"] = "60";
            AtOnce(host, url, 20);
            foreach (var file in new[] { "vmlinuz", "initrd" })
            {
                var downloads = AccessLog.Count(host.Suite.Nginx, url + file, "GET", 200);
                host.Check(downloads == 1, $"{file} was downloaded {downloads} times");
            }
            var handedOut = host.Outcomes.SelectMany(Verdict.BootFiles).ToList();
            host.Check(handedOut.Distinct().Count() == 40, $"the 20 boots handed out {handedOut.Distinct().Count()} distinct files, not 40");
        }),
        new("50 boots, cache off", Expected.Boots().Within(90), host =>
        {
            host.Config["cache-dir"] = "";
            AtOnce(host, Mirror(host), 50);
        }),
        new("20 boots against a stalled mirror", Expected.Error("INVALID_SOURCE", "Download of '{repo}vmlinuz' failed: no data received for 2 seconds").Within(60), host =>
        {
            var server = SignalFaults.Stalling(host, "vmlinuz");
            AtOnce(host, server.Url, 20);
        }),
        new("10 boots of a gzip bomb", Expected.Error("LIMITS", "File '{repo}initrd' exceeds limit of 4194304 bytes").Within(60), host =>
        {
            RamdiskFaults.Serve(host, Tools.Script("head -c 64M /dev/zero | gzip -1 > \"$OUT\""));
            AtOnce(host, host.Tokens["repo"], 10);
        }),
    ];
}
