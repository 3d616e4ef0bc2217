using Eliloader.Tests.Support;

namespace Eliloader.Faults.Harness;

/// <summary>
/// The host one hostile case runs on: a <see cref="Scenario"/> (boot directory,
/// XapiSimulator, syslog, configuration) with its own temp-dir, cache, pygrub output
/// directory and guest-installer directory, the servers the case starts, and every run
/// of the binary it makes. Runs made with <see cref="Boot"/>, <see cref="Run"/> and
/// <see cref="Finish"/> are the ones the case's expectation is checked against.
/// </summary>
public sealed class FaultHost : IDisposable
{
    private readonly List<IDisposable> owned = [];
    private readonly List<string> mounts = [];
    private readonly List<Outcome> outcomes = [];
    private readonly List<string> problems = [];
    private int runs;

    public FaultHost(FaultSuite suite, Expected expected)
    {
        Suite = suite;
        Expected = expected;
        Scenario = new Scenario();
        Marker = Path.GetFileName(Scenario.Directory);
        foreach (var directory in new[] { TempDir, PygrubDir, GuestInstallerDir, Bin })
            Directory.CreateDirectory(directory);
        Config["temp-dir"] = TempDir;
        Config["guest-installer-dir"] = GuestInstallerDir;
        Config["pygrub-dir"] = PygrubDir;
        Config["output-format"] = "sxp";
        // Short enough that a stall costs the suite little, long enough for a loaded machine.
        Config["download-timeout"] = "2";
        if (expected.Dialect == Dialect.CodeLines)
            Config["error-format"] = "code-lines";
        Tokens["dir"] = Dir;
        Tokens["pygrub-dir"] = PygrubDir;
        Tokens["boot-dir"] = BootDir;
        ConfigPath = Scenario.ConfigPath;
        Tokens["config"] = ConfigPath;
    }

    public FaultSuite Suite { get; }
    public Expected Expected { get; }
    public Scenario Scenario { get; }

    /// <summary>In the environment of every process of this case's runs.</summary>
    public string Marker { get; }

    public string Dir => Scenario.Directory;
    public Dictionary<string, string> Config => Scenario.Config;
    public string BootDir => Scenario.BootDir;
    public string CacheDir => Path.Combine(Dir, "cache");
    public string TempDir => Path.Combine(Dir, "tmp");

    /// <summary>Where a stand-in pygrub writes the kernel and ramdisk it extracts, as /var/run/xen/pygrub.</summary>
    public string PygrubDir => Path.Combine(Dir, "pygrub-out");
    public string GuestInstallerDir => Path.Combine(Dir, "guest-installer");

    /// <summary>Scripts and inputs of the case, outside every directory the checks look into.</summary>
    public string Bin => Path.Combine(Dir, "bin");

    /// <summary>Lines written to the configuration file after the scenario's own keys, as they are.</summary>
    public List<string> RawConfig { get; } = [];

    /// <summary>What ELILOADER_CONFIG names; the scenario's file unless the case points it elsewhere.</summary>
    public string ConfigPath { get; set; }

    /// <summary>Values of the {token}s in the expected message.</summary>
    public Dictionary<string, string> Tokens { get; } = [];

    public IReadOnlyList<Outcome> Outcomes => outcomes;

    /// <summary>What the directories the checks look into held before the first run: the case's own setup, not the run's leftovers.</summary>
    public IReadOnlySet<string> Before { get; private set; } = new HashSet<string>();
    public IReadOnlyList<string> Problems => problems;
    public IReadOnlyList<string> Mounts => mounts;

    public T Own<T>(T resource) where T : IDisposable
    {
        owned.Add(resource);
        return resource;
    }

    public void Vm(Dictionary<string, string> otherConfig, string uuid = Scenario.VmUuid, int domid = 7) =>
        Scenario.AddVm(otherConfig, uuid, domid);

    /// <summary>The pygrub family over the network: the two files the case names, in a repository of its choosing.</summary>
    public void NetworkVm(string repository, string kernel = "vmlinuz", string? ramdisk = "initrd", string uuid = Scenario.VmUuid, int domid = 7)
    {
        var otherConfig = new Dictionary<string, string>
        {
            ["install-distro"] = "pygrub",
            ["install-repository"] = repository,
            ["install-kernel"] = kernel,
        };
        if (ramdisk is not null)
            otherConfig["install-ramdisk"] = ramdisk;
        Vm(otherConfig, uuid, domid);
        Tokens["repo"] = repository;
    }

    /// <summary>A first boot as xenopsd runs it (April 2013 on), checked against the expectation.</summary>
    public Outcome Boot(string image = "") => Run("-q", "--vm", Scenario.VmUuid, image);

    public Outcome Run(params string[] argv) => Finish(Start(argv));

    /// <summary>Starts a run in the background: to be signalled, or run beside others, then passed to <see cref="Finish"/>.</summary>
    public TimedRun Start(params string[] argv) => StartAs(null, argv);

    /// <summary>A run as another user (a uid), for what root can always read.</summary>
    public TimedRun StartAs(string? uid, params string[] argv)
    {
        if (runs == 0)
            Before = new[] { BootDir, PygrubDir, TempDir }.SelectMany(d => Leftovers.Files(d).Select(f => Path.Combine(d, f))).ToHashSet();
        Scenario.WriteConfig();
        File.AppendAllLines(Scenario.ConfigPath, RawConfig);
        var usage = Path.Combine(Dir, $"usage-{Interlocked.Increment(ref runs)}.txt");
        return Own(new TimedRun(ConfigPath, Marker, usage, argv, uid));
    }

    /// <summary>Waits for a started run and keeps its outcome for the checks.</summary>
    public Outcome Finish(TimedRun run)
    {
        var outcome = Unchecked(run);
        lock (outcomes)
            outcomes.Add(outcome);
        return outcome;
    }

    /// <summary>Waits for a run that only prepares the case (a killed run, a cache filled first); its outcome is not checked.</summary>
    public Outcome Unchecked(TimedRun run) => run.Finish(Expected.Wall + TimeSpan.FromSeconds(10));

    /// <summary>A problem the case found beyond what every case checks.</summary>
    public void Check(bool holds, string problem)
    {
        if (!holds)
        {
            lock (problems)
                problems.Add(problem);
        }
    }

    /// <summary>Waits until the condition holds (polling); false when it never did within the time.</summary>
    public static bool WaitFor(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            Thread.Sleep(10);
        }
        return true;
    }

    /// <summary>Files in the boot directory whose names start with this prefix.</summary>
    public int BootFiles(string prefix) =>
        Directory.Exists(BootDir) ? Directory.GetFiles(BootDir, prefix + "*").Length : 0;

    /// <summary>A small tmpfs at a new directory, for a full disk; unmounted when the case ends.</summary>
    public string SmallDisk(string name, string options)
    {
        var path = Path.Combine(Dir, name);
        Directory.CreateDirectory(path);
        Shell.Run($"mount -t tmpfs -o {options} fault-{name} {path}");
        mounts.Add(path);
        return path;
    }

    public void Dispose()
    {
        Leftovers.KillProcesses(Marker);
        foreach (var resource in Enumerable.Reverse(owned))
            resource.Dispose();
        foreach (var mount in Enumerable.Reverse(mounts))
            ProcessRunner.Run("umount", ["-l", mount]);
        foreach (var mount in Leftovers.MountsUnder(Dir))
            ProcessRunner.Run("umount", ["-l", mount]);
        Scenario.Dispose();
    }
}
