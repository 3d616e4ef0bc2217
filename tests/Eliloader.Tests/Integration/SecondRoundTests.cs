using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>
/// Round 2: eliloader probes the installed disk with a scripted stand-in pygrub, saves
/// what it needs, hands the VM over, and becomes pygrub with the caller's arguments.
/// </summary>
public sealed class SecondRoundTests : IDisposable
{
    private readonly Scenario host = new();
    private const string Disk = "/dev/sm/backend/abc/def";
    private const string BootLineOut = "linux (kernel /var/run/xen/pygrub/k)(args \"root=/dev/xvda2\")\n";

    private StandInPygrub Pygrub(string behaviour)
    {
        var pygrub = new StandInPygrub(host.Directory, behaviour);
        host.Config["pygrub"] = pygrub.Path;
        return pygrub;
    }

    private void Vm(string distro, string arch = "x86_64") => host.AddVm(new()
    {
        ["install-distro"] = distro,
        ["install-repository"] = "http://m/r/",
        ["install-arch"] = arch,
        ["install-round"] = "2",
    });

    private void AssertInstallFinished(string bootloaderArgs)
    {
        Assert.Equal("pygrub", host.Vm.PvBootloader);
        Assert.Equal(bootloaderArgs, host.Vm.PvBootloaderArgs);
        Assert.False(host.Vm.OtherConfig.ContainsKey("install-round"));
        Assert.False(host.Vm.OtherConfig.ContainsKey("install-distro"));
    }

    [Fact]
    public void Sleslike_without_menu_lst_gets_the_boot_kernel_saved_and_passed()
    {
        var pygrub = Pygrub($$"""
            case "$*" in
              "-q -n {{Disk}}") exit 1 ;;
              "-n --kernel /vmlinuz-xen --ramdisk /initrd-xen {{Disk}}") exit 1 ;;
              "-n --kernel /boot/vmlinuz-xen --ramdisk /boot/initrd-xen {{Disk}}") exit 0 ;;
            esac
            printf '{{BootLineOut.Replace("\n", "\\n").Replace("\"", "\\\"")}}'
            """);
        Vm("sleslike");
        var result = host.Run("-q", "--default_args=", "--extra_args=", $"--vm={Scenario.VmUuid}", "", Disk);
        Assert.Equal("", result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(BootLineOut, result.Stdout);
        Assert.Equal(
        [
            $"-q|-n|{Disk}",
            $"-n|--kernel|/vmlinuz-xen|--ramdisk|/initrd-xen|{Disk}",
            $"-n|--kernel|/boot/vmlinuz-xen|--ramdisk|/boot/initrd-xen|{Disk}",
            $"--kernel|/boot/vmlinuz-xen|--ramdisk|/boot/initrd-xen|-q|--default_args=|--extra_args=|--vm={Scenario.VmUuid}||{Disk}",
        ], pygrub.Calls);
        AssertInstallFinished("--kernel /boot/vmlinuz-xen --ramdisk /boot/initrd-xen");
    }

    [Fact]
    public void Sleslike_i386_tries_the_xenpae_kernels()
    {
        var pygrub = Pygrub($$"""
            case "$*" in
              *"-q -n"*) exit 1 ;;
              "-n --kernel /vmlinuz-xenpae --ramdisk /initrd-xenpae {{Disk}}") exit 0 ;;
            esac
            echo booted
            """);
        Vm("sleslike", "i386");
        var result = host.RunAsXenopsd(Disk);
        Assert.Equal("booted\n", result.Stdout);
        Assert.Equal($"--kernel|/vmlinuz-xenpae|--ramdisk|/initrd-xenpae|-q|--vm|{Scenario.VmUuid}|{Disk}", pygrub.Calls[^1]);
        AssertInstallFinished("--kernel /vmlinuz-xenpae --ramdisk /initrd-xenpae");
    }

    [Fact]
    public void Sleslike_with_a_menu_lst_passes_only_the_callers_arguments()
    {
        var pygrub = Pygrub(StandInPygrub.AlwaysBoots);
        Vm("sleslike");
        var result = host.RunAsXenopsd(Disk);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("linux (kernel /var/run/xen/pygrub/boot_kernel.x)", result.Stdout);
        Assert.Equal([$"-q|-n|{Disk}", $"-q|--vm|{Scenario.VmUuid}|{Disk}"], pygrub.Calls);
        AssertInstallFinished("");
        Assert.DoesNotContain("VM.set_PV_bootloader_args", host.CallNames);
    }

    [Fact]
    public void A_pygrub_error_exits_3_with_its_message_and_leaves_the_vm_alone()
    {
        Pygrub("""
            echo 'Traceback (most recent call last):' >&2
            echo 'RuntimeError: Unable to find partition containing kernel' >&2
            exit 2
            """);
        Vm("sleslike");
        var before = new Dictionary<string, string>(host.State.Vms[0].OtherConfig);
        var result = host.RunAsXenopsd(Disk);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("RuntimeError: INTERNAL_ERROR\nPygrub error (2): Unable to find partition containing kernel\n", result.Stderr);
        Assert.Equal("eliloader", host.Vm.PvBootloader);
        Assert.Equal(before, host.Vm.OtherConfig);
    }

    [Fact]
    public void A_missing_pygrub_exits_3()
    {
        host.Config["pygrub"] = host.Directory + "/no-pygrub";
        Vm("sleslike");
        var result = host.RunAsXenopsd(Disk);
        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith($"RuntimeError: INTERNAL_ERROR\nCould not run {host.Directory}/no-pygrub", result.Stderr);
    }

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

    private StandInPygrub Listing(string listing) => Pygrub($$"""
        if [[ "$*" == *"-q -l {{Disk}}" ]]; then
        cat <<'LIST'
        {{listing}}
        LIST
        exit 0
        fi
        echo booted
        """);

    [Fact]
    public void Rhlike_oracle_uek_first_entry_is_skipped()
    {
        var pygrub = Listing(OracleListing);
        Vm("rhlike");
        var result = host.RunAsXenopsd(Disk);
        Assert.Equal("booted\n", result.Stdout);
        Assert.Equal([$"-q|-l|{Disk}", $"--entry|1|-q|--vm|{Scenario.VmUuid}|{Disk}"], pygrub.Calls);
        AssertInstallFinished("--entry 1");
    }

    [Fact]
    public void Rhlike_without_uek_passes_only_the_callers_arguments()
    {
        var pygrub = Listing(OracleListing.Replace("el5uek", "el5"));
        Vm("rhlike");
        Assert.Equal("booted\n", host.RunAsXenopsd(Disk).Stdout);
        Assert.Equal($"-q|--vm|{Scenario.VmUuid}|{Disk}", pygrub.Calls[^1]);
        AssertInstallFinished("");
    }

    [Fact]
    public void Rhlike_with_only_uek_entries_is_an_error()
    {
        Listing(OracleListing.Replace("el5xen", "el5uek"));
        Vm("rhlike");
        var result = host.RunAsXenopsd(Disk);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("RuntimeError: INVALID_SOURCE\nEvery boot entry of the installed system is an Oracle el5uek kernel", result.Stderr);
        Assert.Equal("eliloader", host.Vm.PvBootloader);
    }

    [Fact]
    public void Rhlike_refuses_a_listing_line_it_does_not_know()
    {
        Listing(OracleListing + "\nkernel /boot/evil\n");
        Vm("rhlike");
        var result = host.RunAsXenopsd(Disk);
        Assert.Equal("RuntimeError: INVALID_SOURCE\npygrub listed an unexpected line: 'kernel /boot/evil'.\n", result.Stderr);
    }

    [Fact]
    public void Simple_format_callers_get_it_on_every_pygrub_call()
    {
        var pygrub = Listing(OracleListing);
        host.Config["output-format"] = "simple";
        Vm("rhlike");
        host.RunAsXenopsd(Disk);
        Assert.Equal([$"--output-format=simple|-q|-l|{Disk}", $"--output-format=simple|--entry|1|-q|--vm|{Scenario.VmUuid}|{Disk}"], pygrub.Calls);
    }

    public void Dispose() => host.Dispose();
}
