using Eliloader.Faults.Harness;
using Eliloader.Tests.Support;

namespace Eliloader.Faults;

/// <summary>
/// pygrub as a guest's medium or disk can make it behave (a scripted stand-in): hostile
/// boot answers for a pygrub-family CD install, hostile listings and probes in round 2,
/// huge output, pygrub failing, killed, missing.
/// </summary>
[Collection(FaultSuite.Collection)]
public sealed class PygrubFaults(FaultSuite suite) : FaultCategory(suite)
{
    internal const string Drive = "/dev/xvdd";
    private const string Disk = "/dev/sm/backend/sr/vdi";

    internal static void StandIn(FaultHost host, string behaviour) =>
        host.Config["pygrub"] = new StandInPygrub(host.Bin, behaviour).Path;

    /// <summary>A pygrub-family CD install where pygrub behaves as scripted.</summary>
    internal static FaultCase Medium(string name, Expected expected, string behaviour) =>
        new(name, expected, host =>
        {
            StandIn(host, behaviour);
            host.Vm(new() { ["install-repository"] = "cdrom", ["install-distro"] = "pygrub" });
            host.Boot(Drive);
        });

    /// <summary>A CD install where pygrub prints this boot answer (printf format) and exits 0.</summary>
    private static FaultCase Answer(string name, string output, string message) =>
        Medium(name, Expected.Error("INVALID_SOURCE", message), $"printf '{output}'");

    /// <summary>Round 2 of an install of this family, where pygrub behaves as scripted.</summary>
    private static FaultCase Round2(string name, Expected expected, string distro, string behaviour) =>
        new(name, expected, host =>
        {
            StandIn(host, behaviour);
            host.Vm(new() { ["install-repository"] = "http://m/r/", ["install-distro"] = distro, ["install-arch"] = "x86_64", ["install-round"] = "2" });
            host.Boot(Disk);
        });

    private const string Huge = "yes 'title: Hostile Linux (2.6.18-el5uek)' | head -c 100000000";

    private static readonly FaultCase PygrubTraceback =
        Medium("pygrub fails with a traceback", Expected.Pygrub("Pygrub error (2): Unable to find partition containing kernel"),
            "echo 'Traceback (most recent call last):' >&2; echo 'RuntimeError: Unable to find partition containing kernel' >&2; exit 2");

    private static readonly FaultCase[] Cases =
    [
        Answer("unknown key", "kernel /k\\nbootloader /evil\\n", "pygrub printed an unknown key: 'bootloader /evil'."),
        Answer("kernel twice", "kernel /k\\nkernel /k2\\n", "pygrub printed 'kernel' twice."),
        Answer("line without a value", "kernel\\n", "pygrub printed a line without a value: 'kernel'."),
        Answer("no kernel", "ramdisk /r\\nargs x\\n", "pygrub found no kernel on the medium."),
        Answer("relative kernel path", "kernel boot/vmlinuz\\n", "pygrub named the kernel 'boot/vmlinuz', which is not an absolute path."),
        Answer("kernel path climbing with ..", "kernel /var/run/xen/pygrub/../../../etc/shadow\\n", "pygrub named the kernel '/var/run/xen/pygrub/../../../etc/shadow'"),
        Answer("an SXP answer", "linux (kernel /k)(args \"\")\\n", "pygrub printed an unknown key: 'linux (kernel /k)"),
        Answer("NUL bytes", "\\0\\0\\0 \\0\\0\\n", "pygrub printed an unknown key"),
        Medium("100 MB of output", Expected.Error("INVALID_SOURCE", "pygrub printed an unknown key: 'title:").WithinCpu(5), Huge),
        Medium("10 MB on one line", Expected.Error("INVALID_SOURCE", "pygrub printed a line without a value").WithinCpu(5), "head -c 10000000 /dev/zero | tr '\\0' x"),
        PygrubTraceback,
        PygrubTraceback.InCodeLines(),
        Medium("pygrub killed by SIGKILL", Expected.Pygrub("Pygrub error"), "kill -KILL $$"),
        Medium("pygrub prints 100 MB on stderr and fails", Expected.Pygrub("Pygrub error (2)").WithinCpu(5), $"{Huge} >&2; exit 2"),
        new("pygrub missing", Expected.Pygrub("Could not run {dir}/bin/no-pygrub"), host =>
        {
            host.Config["pygrub"] = Path.Combine(host.Bin, "no-pygrub");
            host.Vm(new() { ["install-repository"] = "cdrom", ["install-distro"] = "pygrub" });
            host.Boot(Drive);
        }),
        new("pygrub not executable", Expected.Pygrub("Could not run {dir}/bin/pygrub"), host =>
        {
            StandIn(host, "exit 0");
            File.SetUnixFileMode(Path.Combine(host.Bin, "pygrub"), UnixFileMode.UserRead);
            host.Vm(new() { ["install-repository"] = "cdrom", ["install-distro"] = "pygrub" });
            host.Boot(Drive);
        }),
        Round2("listing with a line of its own", Expected.Error("INVALID_SOURCE", "pygrub listed an unexpected line: 'kernel /boot/evil'."), "rhlike",
            "printf 'title: Linux\\n  root: None\\nkernel /boot/evil\\n'"),
        Round2("listing of el5uek kernels only", Expected.Error("INVALID_SOURCE", "Every boot entry of the installed system is an Oracle el5uek kernel"), "rhlike",
            "printf 'title: Oracle Linux Server (2.6.32-100.el5uek)\\n  root: None\\n'"),
        Round2("listing of 100 MB", Expected.Error("INVALID_SOURCE", "").WithinCpu(5), "rhlike", Huge),
        Round2("listing pygrub killed", Expected.Pygrub("Pygrub error"), "rhlike", "kill -KILL $$"),
        Round2("every probe failing", Expected.Pygrub("Pygrub error (2)"), "sleslike", "echo 'RuntimeError: no disk' >&2; exit 2"),
    ];
}
