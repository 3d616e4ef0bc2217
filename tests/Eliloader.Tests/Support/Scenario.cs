using XapiSimulator;

namespace Eliloader.Tests.Support;

/// <summary>
/// One host for one test: a temporary boot directory, a XapiSimulator on real Unix
/// sockets, a syslog socket, a configuration file, and the published binary run as
/// the toolstack runs it.
/// </summary>
public sealed class Scenario : IDisposable
{
    public const string VmUuid = "7ec5c6a4-3b2f-4a6e-9d0a-4f3d2b1c0e9f";

    public string Directory { get; }
    public string BootDir { get; }
    public string XapiSocket { get; }
    public string XenstoreSocket { get; }
    public SimulatorState State { get; } = new();
    public SyslogSink Syslog { get; }

    /// <summary>eliloader.conf keys; tests change them before <see cref="Run"/>.</summary>
    public Dictionary<string, string> Config { get; }

    private Simulator? simulator;

    public Scenario()
    {
        Directory = System.IO.Path.Combine("/tmp", "elt-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Directory);
        BootDir = System.IO.Path.Combine(Directory, "boot");
        XapiSocket = System.IO.Path.Combine(Directory, "xapi");
        XenstoreSocket = System.IO.Path.Combine(Directory, "xenstored");
        Syslog = new SyslogSink(System.IO.Path.Combine(Directory, "log"));
        Config = new Dictionary<string, string>
        {
            ["boot-dir"] = BootDir,
            // The first path is missing, as /var/lib/xcp/xapi is on a pre-2012 host.
            ["xapi-socket"] = $"{Directory}/no-such-xapi {XapiSocket}",
            ["xenstore-socket"] = XenstoreSocket,
            ["syslog-socket"] = Syslog.Path,
            ["toolstack-binaries"] = $"{Directory}/no-toolstack",
            ["download-timeout"] = "10",
            ["state-dir"] = $"{Directory}/state",
            ["cache-dir"] = $"{Directory}/cache",
        };
    }

    public SimVm AddVm(Dictionary<string, string> otherConfig, string uuid = VmUuid, int domid = 7)
    {
        var vm = new SimVm { Uuid = uuid, NameLabel = "test VM", OtherConfig = otherConfig };
        vm.Vbds.Add(new SimVbd { Userdevice = "0" });
        vm.Vbds.Add(new SimVbd { Userdevice = "3" });
        State.Vms.Add(vm);
        State.Xenstore[$"/vm/{uuid}/domains/{domid}"] = "";
        State.Xenstore[$"/local/domain/{domid}/name"] = vm.NameLabel;
        return vm;
    }

    public Simulator Simulator => simulator ??= new Simulator(State, XapiSocket, XenstoreSocket);

    public string ConfigPath => System.IO.Path.Combine(Directory, "eliloader.conf");

    /// <summary>Starts the simulator and writes the configuration file.</summary>
    public void WriteConfig()
    {
        _ = Simulator;
        // Replaced whole, never rewritten in place: runs started earlier may be reading it.
        var next = ConfigPath + "." + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllLines(next, ["# written by the test", .. Config.Select(kv => $"{kv.Key} = {kv.Value}")]);
        File.Move(next, ConfigPath, overwrite: true);
    }

    /// <summary>Runs the published binary with this scenario's configuration, as xapi or xenopsd would.</summary>
    public ProcessResult Run(params string[] argv)
    {
        WriteConfig();
        return ProcessRunner.Run(RepoPaths.Binary, argv, new Dictionary<string, string> { ["ELILOADER_CONFIG"] = ConfigPath });
    }

    /// <summary>The argv of xenopsd from April 2013 on.</summary>
    public ProcessResult RunAsXenopsd(string image = "") => Run("-q", "--vm", VmUuid, image);

    public string[] BootFiles() =>
        System.IO.Directory.Exists(BootDir) ? System.IO.Directory.GetFiles(BootDir).Order().ToArray() : [];

    public SimVm Vm => Simulator.Inspect(s => s.Vms.Single(v => v.Uuid == VmUuid));

    public IReadOnlyList<string> CallNames => Simulator.Calls.Select(c => c.Method).ToList();

    public void Dispose()
    {
        simulator?.Dispose();
        Syslog.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
