using Eliloader.Faults.Harness;
using Eliloader.Tests.Support;

namespace Eliloader.Faults;

/// <summary>
/// pygrub as a guest's medium or disk can make it behave (a scripted stand-in): hostile
/// answers for a pygrub-family CD install in either format, files named outside its
/// directory, missing or not regular, hostile listings and probes in round 2, output
/// without end, a child left holding its output, pygrub failing, hanging, killed, missing.
/// </summary>
[Collection(FaultSuite.Collection)]
public sealed class PygrubFaults(FaultSuite suite) : FaultCategory(suite)
{
    internal const string Drive = "/dev/xvdd";
    private const string Disk = "/dev/sm/backend/sr/vdi";

    internal static void StandIn(FaultHost host, string behaviour)
    {
        host.Config["pygrub"] = new StandInPygrub(host.Bin, behaviour).Path;
        host.Tokens["pygrub"] = Path.Combine(host.Bin, "pygrub");
    }

    /// <summary>A pygrub-family CD install, for a caller of this boot format, where pygrub behaves as scripted.</summary>
    internal static FaultCase Medium(string name, Expected expected, string behaviour, string format = "simple") =>
        new(name, expected, host =>
        {
            host.Config["output-format"] = format;
            StandIn(host, behaviour);
            host.Vm(new() { ["install-repository"] = "cdrom", ["install-distro"] = "pygrub" });
            host.Boot(Drive);
        });

    /// <summary>A CD install where pygrub prints this answer (printf format) and exits 0.</summary>
    private static FaultCase Answer(string name, string output, string message, string format = "simple") =>
        Medium(name, Expected.Error("INVALID_SOURCE", message), $"printf '{output}'", format);

    /// <summary>
    /// A CD install where pygrub, on its real run (not the dry run with -n), first runs
    /// <paramref name="extract"/> (in pygrub's directory, as $D) and then answers with the
    /// kernel and ramdisk it names. <paramref name="existing"/> (a shell command, $D and $B
    /// set) makes what is in pygrub's directory before the run; an outside file, $B/dom0-file,
    /// must survive.
    /// </summary>
    private static FaultCase Extracting(string name, Expected expected, string extract, string kernel, string? ramdisk = null, Action<FaultHost>? tune = null, string existing = "") =>
        new(name, expected, host =>
        {
            host.Config["output-format"] = "simple";
            tune?.Invoke(host);
            var outside = Path.Combine(host.Bin, "dom0-file");
            File.WriteAllText(outside, "not pygrub's");
            Shell.Run($"D='{host.PygrubDir}'; B='{host.Bin}'; {existing}");
            var answer = $"kernel {kernel}\\n" + (ramdisk is null ? "" : $"ramdisk {ramdisk}\\n");
            StandIn(host, $$"""
                D='{{host.PygrubDir}}'; B='{{host.Bin}}'
                case " $* " in *" -n "*) exit 0 ;; esac
                {{extract}}
                printf "{{answer}}"
                """);
            host.Vm(new() { ["install-repository"] = "cdrom", ["install-distro"] = "pygrub" });
            host.Boot(Drive);
            host.Check(File.Exists(outside), $"{outside}, which pygrub named but did not write, was deleted");
        });

    /// <summary>Round 2 of an install of this family, where pygrub behaves as scripted.</summary>
    private static FaultCase Round2(string name, Expected expected, string distro, string behaviour) =>
        new(name, expected, host =>
        {
            StandIn(host, behaviour);
            host.Vm(new() { ["install-repository"] = "http://m/r/", ["install-distro"] = distro, ["install-arch"] = "x86_64", ["install-round"] = "2" });
            host.Boot(Disk);
        });

    private const string Huge = "yes 'title: Hostile Linux (2.6.18-el5uek)' | head -c 100000000";
    private const string NotHere = "which is not a file directly in {pygrub-dir} or {boot-dir}.";

    private static readonly FaultCase PygrubTraceback =
        Medium("pygrub fails with a traceback", Expected.Error("INVALID_SOURCE", "Error 2 running {pygrub}: RuntimeError: Unable to find partition containing kernel"),
            "echo 'Traceback (most recent call last):' >&2; echo 'RuntimeError: Unable to find partition containing kernel' >&2; exit 2");

    private static readonly FaultCase[] Cases =
    [
        Answer("unknown key", "kernel /k\\nbootloader /evil\\n", "pygrub printed an unknown key: 'bootloader /evil'."),
        Answer("kernel twice", "kernel /k\\nkernel /k2\\n", "pygrub printed 'kernel' twice."),
        Answer("line without a value", "kernel\\n", "pygrub printed a line without a value: 'kernel'."),
        Answer("no kernel", "ramdisk /r\\nargs x\\n", "pygrub found no kernel on the medium."),
        Answer("relative kernel path", "kernel boot/vmlinuz\\n", "pygrub named the kernel 'boot/vmlinuz', " + NotHere),
        Answer("kernel path climbing with ..", "kernel {pygrub-dir}/../../../../etc/shadow\\n", "pygrub named the kernel"),
        Answer("an SXP answer to a simple caller", "linux (kernel /k)(args \"\")\\n", "pygrub printed an unknown key: 'linux (kernel /k)"),
        Answer("NUL bytes", "\\0\\0\\0 \\0\\0\\n", "pygrub printed an unknown key"),
        Answer("SXP: not a linux answer", "(kernel /k)\\n", "pygrub's answer does not start with 'linux'", format: "sxp"),
        Answer("SXP: an unclosed key", "linux (kernel '/k'", "pygrub's answer does not close '(kernel'", format: "sxp"),
        Answer("SXP: a value neither quoted nor an atom", "linux (kernel )", "pygrub's answer has a value that is neither a quoted string nor an atom", format: "sxp"),
        Answer("SXP: an unknown key", "linux (kernel '/k')(bootloader '/evil')", "pygrub printed an unknown key: '(bootloader /evil)'.", format: "sxp"),
        Medium("100 MB of output", Expected.Error("INVALID_SOURCE", "{pygrub} printed more than 1048576 bytes on stdout.").WithinCpu(5), Huge),
        Medium("10 MB on one line", Expected.Error("INVALID_SOURCE", "{pygrub} printed more than 1048576 bytes on stdout.").WithinCpu(5), "head -c 10000000 /dev/zero | tr '\\0' x"),
        Extracting("kernel outside pygrub's directory", Expected.Error("INVALID_SOURCE", "pygrub named the kernel '{dir}/bin/dom0-file', " + NotHere),
            "true", "$B/dom0-file"),
        Extracting("kernel outside, ramdisk over the limit", Expected.Error("INVALID_SOURCE", "pygrub named the kernel '{dir}/bin/dom0-file', " + NotHere),
            "head -c 3000000 /dev/zero > $D/boot_ramdisk.r", "$B/dom0-file", "$D/boot_ramdisk.r",
            tune: host => host.Scenario.State.Xenstore["/mh/limits/pv-ramdisk-max-size"] = "1000000"),
        Extracting("kernel a symlink out of pygrub's directory", Expected.Error("INVALID_SOURCE", "pygrub named the kernel '{pygrub-dir}/boot_kernel.k', " + NotHere),
            "true", "$D/boot_kernel.k", existing: "ln -s $B/dom0-file $D/boot_kernel.k"),
        Extracting("kernel that does not exist", Expected.Error("INVALID_SOURCE", "pygrub named the kernel '{pygrub-dir}/boot_kernel.k', which does not exist."),
            "true", "$D/boot_kernel.k"),
        Extracting("kernel a directory", Expected.Error("INVALID_SOURCE", "pygrub named the kernel '{pygrub-dir}/boot_kernel.k', which is a directory."),
            "true", "$D/boot_kernel.k", existing: "mkdir $D/boot_kernel.k"),
        Extracting("kernel a FIFO", Expected.Error("INVALID_SOURCE", "pygrub named the kernel '{pygrub-dir}/boot_kernel.k', which is not a regular file."),
            "true", "$D/boot_kernel.k", existing: "mkfifo $D/boot_kernel.k"),
        Extracting("kernel over the limit", Expected.Error("LIMITS", "File '{pygrub-dir}/boot_kernel.k' exceeds limit of 4096 bytes"),
            "head -c 5000 /dev/zero > $D/boot_kernel.k; echo r > $D/boot_ramdisk.r", "$D/boot_kernel.k", "$D/boot_ramdisk.r",
            tune: host => host.Scenario.State.Xenstore["/mh/limits/pv-kernel-max-size"] = "4096"),
        Extracting("a child left holding pygrub's output", Expected.Boots().Within(15),
            "echo k > $D/boot_kernel.k; sleep 75 &", "$D/boot_kernel.k"),
        PygrubTraceback,
        PygrubTraceback.InCodeLines(),
        Medium("pygrub killed by SIGKILL", Expected.Error("INVALID_SOURCE", "Error -9 running {pygrub}"), "kill -KILL $$"),
        Medium("pygrub prints 100 MB on stderr and fails", Expected.Error("INVALID_SOURCE", "{pygrub} printed more than 1048576 bytes on stderr.").WithinCpu(5), $"{Huge} >&2; exit 2"),
        new("pygrub hangs", Expected.Pygrub("did not finish within 2 seconds").Within(15), host =>
        {
            host.Config["pygrub-timeout"] = "2";
            StandIn(host, "sleep 1000");
            host.Vm(new() { ["install-repository"] = "cdrom", ["install-distro"] = "pygrub" });
            host.Boot(Drive);
        }),
        new("pygrub missing", Expected.Pygrub("Could not run {dir}/bin/no-pygrub: No such file or directory."), host =>
        {
            host.Config["pygrub"] = Path.Combine(host.Bin, "no-pygrub");
            host.Vm(new() { ["install-repository"] = "cdrom", ["install-distro"] = "pygrub" });
            host.Boot(Drive);
        }),
        new("pygrub not executable", Expected.Pygrub("Could not run {dir}/bin/pygrub: Permission denied."), host =>
        {
            StandIn(host, "exit 0");
            File.SetUnixFileMode(Path.Combine(host.Bin, "pygrub"), UnixFileMode.UserRead);
            host.Vm(new() { ["install-repository"] = "cdrom", ["install-distro"] = "pygrub" });
            host.Boot(Drive);
        }),
        Round2("listing with a line of its own", Expected.Error("INVALID_SOURCE", "pygrub listed an unexpected line: 'kernel /boot/evil'."), "rhlike",
            "printf 'title: Linux\\n  root: None\\nkernel /boot/evil\\n'"),
        Round2("listing of el5uek kernels only", Expected.Error("INVALID_SOURCE", "every entry up to it is an Oracle el5uek kernel"), "rhlike",
            "printf 'title: Oracle Linux Server (2.6.32-100.el5uek)\\n  root: None\\n'"),
        Round2("listing of 100 MB", Expected.Error("INVALID_SOURCE", "{pygrub} printed more than 1048576 bytes on stdout.").WithinCpu(5), "rhlike", Huge),
        Round2("listing pygrub killed", Expected.Pygrub("Pygrub error (-9)"), "rhlike", "kill -KILL $$"),
        Round2("every probe failing", Expected.Pygrub("Pygrub error (2): RuntimeError: no disk"), "sleslike", "echo 'RuntimeError: no disk' >&2; exit 2"),
    ];
}
