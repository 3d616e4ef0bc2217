using System.Diagnostics;
using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>
/// What the real pygrub never does, from a scripted stand-in: hostile listings and
/// answers, failures with and without pygrub's RuntimeError text, a pygrub killed,
/// one that never ends, one that prints without end, and one that leaves a child
/// holding its stdout. pygrub's directory is a private one here (pygrub-dir), so
/// these tests do not need the machine's /var/run/xen/pygrub.
/// </summary>
public sealed class PygrubFaultTests : IDisposable
{
    private readonly Scenario host = new();
    private const string Disk = "/dev/sm/backend/abc/def";
    private readonly string pygrubDir;

    public PygrubFaultTests()
    {
        pygrubDir = Path.Combine(host.Directory, "pygrub-out");
        Directory.CreateDirectory(pygrubDir);
        host.Config["pygrub-dir"] = pygrubDir;
    }

    private StandInPygrub Pygrub(string behaviour)
    {
        var pygrub = new StandInPygrub(host.Directory, behaviour);
        host.Config["pygrub"] = pygrub.Path;
        return pygrub;
    }

    private Dictionary<string, string> otherConfig = [];

    private void SecondRound(string distro)
    {
        otherConfig = new()
        {
            ["install-distro"] = distro,
            ["install-repository"] = "http://m/r/",
            ["install-arch"] = "x86_64",
            ["install-round"] = "2",
        };
        host.AddVm(new(otherConfig));
    }

    private ProcessResult Medium()
    {
        otherConfig = new() { ["install-distro"] = "pygrub", ["install-repository"] = "cdrom" };
        host.AddVm(new(otherConfig));
        return host.RunAsXenopsd("/dev/xvdd");
    }

    /// <summary>Exit 1 with this code and message, nothing in the boot directory, the VM as it was.</summary>
    private void AssertFailed(ProcessResult result, string code, string message) =>
        FailedBoot.AssertLeftAlone(host, result, code, message, otherConfig);

    private void AssertVmUntouched()
    {
        Assert.Equal("eliloader", host.Vm.PvBootloader);
        Assert.DoesNotContain("VM.set_PV_bootloader", host.CallNames);
    }

    // ---- the arguments pygrub gets

    public static TheoryData<string[], string> CallerArgvs => new()
    {
        // xenopsd from April 2013 on
        { ["-q", "--vm", Scenario.VmUuid, Disk], $"-q|{Disk}" },
        // xapi 2009 to 2013: the empty joined forms are kept, as every other caller argument
        { ["-q", "--default_args=", "--extra_args=", $"--vm={Scenario.VmUuid}", "", Disk], $"-q|--default_args=|--extra_args=||{Disk}" },
        // xenopsd December 2012: separate values
        { ["-q", "--default_args", "", "--extra_args", "console=hvc0", "--vm", Scenario.VmUuid, Disk], $"-q|--default_args||--extra_args|console=hvc0|{Disk}" },
        // a value that looks like --vm belongs to its option
        { ["-q", "--extra_args", "--vm", "--vm", Scenario.VmUuid, Disk], $"-q|--extra_args|--vm|{Disk}" },
    };

    [Theory]
    [MemberData(nameof(CallerArgvs))]
    public void The_last_round_execs_pygrub_with_every_caller_argument_but_vm(string[] argv, string pygrubArgv)
    {
        var pygrub = Pygrub(StandInPygrub.AlwaysBoots);
        SecondRound("sleslike");
        var result = host.Run(argv);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal([$"-q|-n|{Disk}", pygrubArgv], pygrub.Calls);
    }

    [Fact]
    public void The_medium_run_gets_every_caller_argument_but_vm()
    {
        var pygrub = Pygrub(MediumAnswer("kernel", "ramdisk", sxp: true));
        var result = Medium();
        Assert.True(result.ExitCode == 0, result.Stderr);
        // A dry run first (-n), then the run that extracts, neither with --vm.
        Assert.Equal(["-n|-q|/dev/xvdd", "-q|/dev/xvdd"], pygrub.Calls);
    }

    // ---- pygrub failures, with the Python loader's codes and texts

    [Theory]
    [InlineData("echo 'Traceback (most recent call last):' >&2; echo '  File \"/usr/bin/pygrub\", line 1' >&2; echo 'RuntimeError: boom' >&2; exit 2",
        "Pygrub error (2): RuntimeError: boom")]
    [InlineData("echo 'xenfsimage.Error: no such device' >&2; exit 2", "Pygrub error (2): xenfsimage.Error: no such device")]
    [InlineData("kill -9 $$", "Pygrub error (-9): no message")]
    public void A_failing_round_two_pygrub_exits_3_with_pythons_pygrub_error_text(string behaviour, string message)
    {
        // Python: "Pygrub error (N): " and its regex's whole match, "RuntimeError: boom" (it crashed when there was
        // none: eliloader quotes pygrub's last line), N negative for a signal as Python's subprocess reports it.
        Pygrub(behaviour);
        SecondRound("sleslike");
        var result = host.RunAsXenopsd(Disk);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"RuntimeError: INTERNAL_ERROR\n{message}\n", result.Stderr);
        AssertVmUntouched();
    }

    [Fact]
    public void A_missing_pygrub_exits_3()
    {
        host.Config["pygrub"] = host.Directory + "/no-pygrub";
        SecondRound("sleslike");
        var result = host.RunAsXenopsd(Disk);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"RuntimeError: INTERNAL_ERROR\nCould not run {host.Directory}/no-pygrub: No such file or directory.\n", result.Stderr);
    }

    [Fact]
    public void Medium_pygrub_exiting_1_without_output_is_invalid_source_as_python_did()
    {
        // Python: INVALID_SOURCE "Error 1 running /usr/bin/pygrub" for any failing run on a medium.
        Pygrub("exit 1");
        var result = Medium();
        AssertFailed(result, "INVALID_SOURCE", $"Error 1 running {host.Directory}/pygrub");
    }

    // ---- bounds

    [Fact]
    public void A_pygrub_that_leaves_a_child_holding_its_stdout_does_not_hang_the_boot()
    {
        var sleeper = Path.Combine(host.Directory, "sleeper.pid");
        // Only the listing leaves the child: the exec'd last run answers the test itself.
        Pygrub($"""
            case " $* " in *" -l "*)
              sleep 75 &
              echo $! > '{sleeper}'
              printf 'title: CentOS\n  root: None\n  kernel: /vmlinuz\n  args: ro\n  initrd: /initrd.img\n'
              exit 0 ;;
            esac
            echo booted
            """);
        SecondRound("rhlike");
        var result = RunWithin(seconds: 15);
        Assert.True(result.ExitCode == 0, result.Stderr);
        // pygrub's process group was killed when its run ended: the sleep is gone.
        AssertKilled(sleeper);
    }

    [Fact]
    public void A_pygrub_that_never_ends_is_killed_with_its_children_at_pygrub_timeout()
    {
        var sleeper = Path.Combine(host.Directory, "sleeper.pid");
        host.Config["pygrub-timeout"] = "2";
        Pygrub($"sleep 300 & echo $! > '{sleeper}'; wait");
        SecondRound("rhlike");
        var result = RunWithin(seconds: 10);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"RuntimeError: INTERNAL_ERROR\n{host.Directory}/pygrub -q -n -l {Disk} did not finish within 2 seconds.\n", result.Stderr);
        AssertKilled(sleeper);
        AssertVmUntouched();
    }

    [Fact]
    public void A_pygrub_that_prints_without_end_is_cut_off_as_the_guests_doing()
    {
        Pygrub("yes 'title: again'");
        SecondRound("rhlike");
        var result = RunWithin(seconds: 10);
        AssertFailed(result, "INVALID_SOURCE", $"{host.Directory}/pygrub printed more than 1048576 bytes on stdout.");
    }

    private ProcessResult RunWithin(int seconds)
    {
        var clock = Stopwatch.StartNew();
        var result = host.RunAsXenopsd(Disk);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"took {clock.Elapsed}");
        return result;
    }

    /// <summary>The process whose pid the stand-in wrote is gone (or a zombie nobody reaped yet).</summary>
    private static void AssertKilled(string pidFile)
    {
        var pid = File.ReadAllLines(pidFile)[0];
        bool Running() => File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z";
        Assert.True(SpinWait.SpinUntil(() => !Running(), TimeSpan.FromSeconds(5)), $"process {pid} still runs");
    }

    // ---- hostile listings

    private const string OracleListing = """
        title: Oracle Linux Server (2.6.32-100.26.2.el5uek)
          root: None
          kernel: /vmlinuz-2.6.32-100.26.2.el5uek
          args: ro root=/dev/VolGroup00/LogVol00
          initrd: /initrd-2.6.32-100.26.2.el5uek.img
        title: Oracle Linux Server-base (2.6.18-238.0.0.0.1.el5xen)
          root: None
          kernel: /vmlinuz-2.6.18-238.0.0.0.1.el5xen
          args: ro root=/dev/VolGroup00/LogVol00
          initrd: /initrd-2.6.18-238.0.0.0.1.el5xen.img
        """;

    private ProcessResult Listed(string listing)
    {
        Pygrub($$"""
            if [[ " $* " == *" -l "* ]]; then
            cat <<'LIST'
            {{listing}}
            LIST
            exit 0
            fi
            echo booted
            """);
        SecondRound("rhlike");
        return host.RunAsXenopsd(Disk);
    }

    [Theory]
    [InlineData("\nkernel /boot/evil", "pygrub listed an unexpected line: 'kernel /boot/evil'.")]
    [InlineData("\n  root: None", "pygrub listed '  root: None' out of order in the entry 'title: Oracle Linux Server-base (2.6.18-238.0.0.0.1.el5xen)'.")]
    public void A_listing_line_out_of_place_is_refused(string appended, string message)
    {
        var result = Listed(OracleListing + appended);
        AssertFailed(result, "INVALID_SOURCE", message);
    }

    [Fact]
    public void A_listing_of_more_than_1000_entries_is_refused()
    {
        var entry = "title: x\n  root: None\n  kernel: /k\n  args: \n  initrd: /i\n";
        var result = Listed(string.Concat(Enumerable.Repeat(entry, 1001)));
        AssertFailed(result, "INVALID_SOURCE", "pygrub listed more than 1000 boot entries.");
    }

    [Fact]
    public void Only_el5uek_kernels_is_an_error()
    {
        var result = Listed(OracleListing.Replace("el5xen", "el5uek"));
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("RuntimeError: INVALID_SOURCE\nEvery boot entry of the installed system is an Oracle el5uek kernel", result.Stderr);
        AssertVmUntouched();
    }

    [Fact]
    public void A_second_menu_after_the_listing_stopped_is_not_counted()
    {
        // pygrub stopped at entry 1 (no kernel) and went on to another partition's menu, whose
        // entries --entry would not reach: entry 1 is no choice, and neither are they.
        var result = Listed("""
            title: Oracle Linux Server (2.6.32-100.26.2.el5uek)
              root: None
              kernel: /vmlinuz-2.6.32-100.26.2.el5uek
              args: ro
              initrd: /initrd-2.6.32-100.26.2.el5uek.img
            title: Other
              root: d0p1
            title: CentOS (2.6.18-398.el5xen)
              root: None
              kernel: /vmlinuz-2.6.18-398.el5xen
              args: ro
              initrd: /initrd-2.6.18-398.el5xen.img
            """);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("RuntimeError: INVALID_SOURCE\npygrub's listing of the installed system stopped at entry 1 'Other', which has no kernel", result.Stderr);
    }

    // ---- hostile answers on a medium

    /// <summary>A pygrub that writes a kernel (and ramdisk) into its directory and names them, in SXP or the simple format.</summary>
    private string MediumAnswer(string kernelName, string? ramdiskName, bool sxp)
    {
        var kernel = Path.Combine(pygrubDir, kernelName);
        var ramdisk = ramdiskName is null ? null : Path.Combine(pygrubDir, ramdiskName);
        var answer = sxp
            ? $"linux (kernel '{kernel}')" + (ramdisk is null ? "" : $"(ramdisk '{ramdisk}')") + "(args 'console=evil')"
            : $"kernel {kernel}\n" + (ramdisk is null ? "" : $"ramdisk {ramdisk}\n") + "args console=evil\n\n";
        return $"""
            case " $* " in *" -n "*) exit 0 ;; esac
            echo kernel > '{kernel}'
            {(ramdisk is null ? "" : $"echo ramdisk > '{ramdisk}'")}
            cat <<'ANSWER'
            {answer}
            ANSWER
            """;
    }

    /// <summary>A simple-format caller's CD install, whose pygrub passes the dry run and then runs <paramref name="answer"/>.</summary>
    private ProcessResult SimpleMedium(string answer)
    {
        host.Config["output-format"] = "simple";
        Pygrub($"""
            case " $* " in *" -n "*) exit 0 ;; esac
            {answer}
            """);
        return Medium();
    }

    [Fact]
    public void An_sxp_answer_in_pythons_repr_quoting_is_read()
    {
        var kernel = Path.Combine(pygrubDir, "boot_kernel.abc");
        var ramdisk = Path.Combine(pygrubDir, "boot_ramdisk.def");
        Pygrub($$"""
            case " $* " in *" -n "*) exit 0 ;; esac
            echo k > '{{kernel}}'; echo r > '{{ramdisk}}'
            printf '%s' "linux (kernel '{{kernel.Replace("_", "\\x5f")}}')(ramdisk \"{{ramdisk}}\")(args 'it\\'s \"quoted\"\\n')"
            """);
        var result = Medium();
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal($"linux (kernel {kernel})(ramdisk {ramdisk})(args \" \")\n", result.Stdout);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_mediums_kernel_and_ramdisk_are_handed_on_but_not_its_args(bool sxp)
    {
        if (!sxp)
            host.Config["output-format"] = "simple";
        var pygrub = Pygrub(MediumAnswer("boot_kernel.abc", "boot_ramdisk.def", sxp));
        var result = Medium();
        Assert.True(result.ExitCode == 0, result.Stderr);
        var kernel = Path.Combine(pygrubDir, "boot_kernel.abc");
        var ramdisk = Path.Combine(pygrubDir, "boot_ramdisk.def");
        Assert.Equal(sxp ? $"linux (kernel {kernel})(ramdisk {ramdisk})(args \" \")\n" : $"kernel {kernel}\nramdisk {ramdisk}\nargs  \n", result.Stdout);
        Assert.Equal(sxp ? "-q|/dev/xvdd" : "--output-format=simple|-q|/dev/xvdd", pygrub.Calls[^1]);
        Assert.True(File.Exists(kernel) && File.Exists(ramdisk));
    }

    [Theory]
    [InlineData(false, "kernel /k\nkernel /k2\n", "pygrub printed 'kernel' twice.")]
    [InlineData(false, "kernel /k\nbootloader evil\n", "pygrub printed an unknown key: 'bootloader evil'.")]
    [InlineData(false, "kernel\n", "pygrub printed a line without a value: 'kernel'.")]
    [InlineData(false, "ramdisk /r\n", "pygrub found no kernel on the medium.")]
    [InlineData(true, "linux (kernel '/k')(kernel '/k2')", "pygrub printed 'kernel' twice.")]
    [InlineData(true, "linux (kernel '/k')(bootloader 'evil')", "pygrub printed an unknown key: '(bootloader 'evil')'.")]
    [InlineData(true, "(kernel '/k')", "pygrub's answer does not start with 'linux': '(kernel '/k')'.")]
    [InlineData(true, "linux (kernel '/k)", "pygrub's answer has a value that is neither a quoted string nor an atom: '(kernel '/k)'.")]
    [InlineData(true, "linux (kernel '/k\\q')", "pygrub's answer has a value that is neither a quoted string nor an atom: '(kernel '/k\\q')'.")]
    [InlineData(true, "linux (kernel '/k') (ramdisk '/r')", "pygrub's answer has ' ' where '(' belongs: 'linux (kernel '/k') (ramdisk '/r')'.")]
    [InlineData(true, "linux (ramdisk '/r')", "pygrub found no kernel on the medium.")]
    public void A_mediums_answer_is_read_strictly(bool sxp, string output, string message)
    {
        if (!sxp)
            host.Config["output-format"] = "simple";
        Pygrub($"""
            case " $* " in *" -n "*) exit 0 ;; esac
            printf '%s' '{output.Replace("'", "'\\''")}'
            """);
        var result = Medium();
        AssertFailed(result, "INVALID_SOURCE", message);
    }

    [Theory]
    [InlineData("../../etc/shadow", "which is not a file directly in {pygrub} or {boot}")]
    [InlineData("/etc/passwd", "which is not a file directly in {pygrub} or {boot}")]
    [InlineData("{pygrub}/missing", "which does not exist")]
    [InlineData("{pygrub}/sub", "which is a directory")]
    [InlineData("{pygrub}/fifo", "which is not a regular file")]
    [InlineData("{pygrub}/link-out", "which is not a file directly in {pygrub} or {boot}")]
    [InlineData("{pygrub}/sub/../../pygrub-out/sub/inner", "which is not a file directly in {pygrub} or {boot}")]
    public void A_kernel_outside_the_trusted_directories_or_not_a_file_is_refused_untouched(string named, string why)
    {
        string Expand(string text) => text.Replace("{pygrub}", pygrubDir).Replace("{boot}", host.BootDir);
        Directory.CreateDirectory(Path.Combine(pygrubDir, "sub"));
        File.WriteAllText(Path.Combine(pygrubDir, "sub", "inner"), "x");
        ProcessRunner.Run("mkfifo", [Path.Combine(pygrubDir, "fifo")]);
        var outside = Path.Combine(host.Directory, "outside");
        File.WriteAllText(outside, "not eliloader's");
        File.CreateSymbolicLink(Path.Combine(pygrubDir, "link-out"), outside);
        var result = SimpleMedium($"printf 'kernel %s\\n' '{Expand(named)}'");
        AssertFailed(result, "INVALID_SOURCE", $"pygrub named the kernel '{Expand(named)}', {Expand(why)}.");
        Assert.Equal("not eliloader's", File.ReadAllText(outside));
        Assert.True(File.Exists("/etc/passwd"));
        Assert.True(File.Exists(Path.Combine(pygrubDir, "sub", "inner")));
    }

    [Fact]
    public void A_file_outside_is_never_deleted_when_the_boot_fails_later()
    {
        // The fault suite's case: kernel an existing file elsewhere, ramdisk over its limit.
        var outside = Path.Combine(host.Directory, "someone-elses");
        File.WriteAllText(outside, "keep me");
        var ramdisk = Path.Combine(pygrubDir, "boot_ramdisk.big");
        host.State.Xenstore["/mh/limits/pv-ramdisk-max-size"] = "1000";
        var result = SimpleMedium($"head -c 3000 /dev/zero > '{ramdisk}'; printf 'kernel %s\\nramdisk %s\\n' '{outside}' '{ramdisk}'");
        AssertFailed(result, "INVALID_SOURCE", $"pygrub named the kernel '{outside}', which is not a file directly in {pygrubDir} or {host.BootDir}.");
        Assert.Equal("keep me", File.ReadAllText(outside));
        // What pygrub wrote for this run goes.
        Assert.False(File.Exists(ramdisk));
    }

    [Fact]
    public void Only_what_pygrub_wrote_for_this_run_is_removed_when_the_boot_fails()
    {
        var older = Path.Combine(pygrubDir, "boot_kernel.older");
        File.WriteAllText(older, "another VM's kernel, there before this run");
        var kernel = Path.Combine(pygrubDir, "boot_kernel.new");
        host.State.Xenstore["/mh/limits/pv-kernel-max-size"] = "4096";
        var result = SimpleMedium($"head -c 5000 /dev/zero > '{kernel}'; printf 'kernel %s\\nramdisk %s\\n' '{kernel}' '{older}'");
        AssertFailed(result, "LIMITS", $"File '{kernel}' exceeds limit of 4096 bytes");
        Assert.False(File.Exists(kernel));
        Assert.True(File.Exists(older));
    }

    [Fact]
    public void A_file_in_the_boot_directory_that_pygrub_names_is_never_removed()
    {
        var bootDirFile = Path.Combine(host.BootDir, "vmlinuz-other");
        Directory.CreateDirectory(host.BootDir);
        File.WriteAllBytes(bootDirFile, new byte[5000]);
        host.State.Xenstore["/mh/limits/pv-kernel-max-size"] = "4096";
        var result = SimpleMedium($"printf 'kernel %s\\n' '{bootDirFile}'");
        Assert.Equal($"RuntimeError: LIMITS\nFile '{bootDirFile}' exceeds limit of 4096 bytes\n", result.Stderr);
        Assert.True(File.Exists(bootDirFile));
    }

    public void Dispose() => host.Dispose();
}
