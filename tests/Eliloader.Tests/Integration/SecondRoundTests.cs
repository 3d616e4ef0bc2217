using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>
/// Round 2 with Debian's real pygrub (Xen 4.17) on disks built as each release's
/// installer leaves them: eliloader probes the disk, saves what pygrub needs, hands
/// the VM over and becomes pygrub with the caller's arguments less --vm. What the
/// exec prints is taken as xenopsd takes it (parsed, its files directly in
/// /var/run/xen/pygrub, then deleted), and pygrub's directory is left as it was.
/// </summary>
public sealed class SecondRoundTests(PygrubDirectory directory) : RealPygrubTest(directory)
{
    private void Vm(string distro, string arch = "x86_64") => host.AddVm(new()
    {
        ["install-distro"] = distro,
        ["install-repository"] = "http://m/r/",
        ["install-arch"] = arch,
        ["install-round"] = "2",
    });

    /// <summary>The exec's answer as the toolstack takes it; pygrub's directory is as it was once the toolstack deleted the files.</summary>
    private AcceptedBoot Booted(ProcessResult result, bool simple = false)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        var boot = ToolstackAnswer.Accept(result.Stdout, simple, PygrubDirectory.Path);
        pygrubDir.AssertLeftAsItWas(before);
        return boot;
    }

    private static void AssertFiles(AcceptedBoot boot, string kernel, string? initrd)
    {
        Assert.Equal(GuestDisks.StandIn(kernel), boot.KernelBytes);
        Assert.Equal(initrd is null ? null : GuestDisks.StandIn(initrd), boot.RamdiskBytes);
    }

    private void AssertInstallFinished(string bootloaderArgs)
    {
        Assert.Equal("pygrub", host.Vm.PvBootloader);
        Assert.Equal(bootloaderArgs, host.Vm.PvBootloaderArgs);
        Assert.False(host.Vm.OtherConfig.ContainsKey("install-round"));
        Assert.False(host.Vm.OtherConfig.ContainsKey("install-distro"));
    }

    [Theory]
    [InlineData("rhlike", "centos5", InstalledGuests.CentOs5Kernel, InstalledGuests.CentOs5Initrd, InstalledGuests.CentOs5Args)]
    [InlineData("rhlike", "centos7", InstalledGuests.CentOs7Kernel, InstalledGuests.CentOs7Initrd, InstalledGuests.CentOs7Args)]
    [InlineData("sleslike", "sles11", InstalledGuests.Sles11Kernel, InstalledGuests.Sles11Initrd, InstalledGuests.Sles11Args)]
    public void A_disk_pygrub_boots_as_it_is_gets_its_default_entry_and_nothing_saved(string distro, string menu, string kernel, string initrd, string args)
    {
        // CentOS 5: grub-legacy on a /boot partition; CentOS 7: grub2 with submenus, ext4; SLES 11: menu.lst, whole disk.
        Vm(distro);
        var boot = Booted(host.RunAsXenopsd(Disk(menu)));
        AssertFiles(boot, kernel, initrd);
        Assert.Equal(args, boot.Args);
        AssertInstallFinished("");
        Assert.DoesNotContain("VM.set_PV_bootloader_args", host.CallNames);
    }

    /// <summary>The real pygrub behind a script that records how eliloader calls it.</summary>
    private StandInPygrub Recorded()
    {
        var pygrub = StandInPygrub.Recording(host.Directory);
        host.Config["pygrub"] = pygrub.Path;
        return pygrub;
    }

    [Fact]
    public void Oracle_linux_boots_its_first_xen_kernel_past_the_el5uek_entries()
    {
        var pygrub = Recorded();
        Vm("rhlike");
        var disk = InstalledGuests.OracleUek;
        var boot = Booted(host.RunAsXenopsd(disk));
        AssertFiles(boot, InstalledGuests.OracleXenKernel, InstalledGuests.OracleXenInitrd);
        AssertInstallFinished("--entry 2");
        // The listing with -n (pygrub copies nothing out); the exec with the caller's arguments less --vm.
        Assert.Equal([$"-q|-n|-l|{disk}", $"--entry|2|-q|{disk}"], pygrub.Calls);
    }

    [Fact]
    public void A_simple_format_caller_gets_pygrubs_simple_answer()
    {
        var pygrub = Recorded();
        host.Config["output-format"] = "simple";
        Vm("rhlike");
        var disk = InstalledGuests.OracleUek;
        var boot = Booted(host.RunAsXenopsd(disk), simple: true);
        AssertFiles(boot, InstalledGuests.OracleXenKernel, InstalledGuests.OracleXenInitrd);
        AssertInstallFinished("--entry 2");
        Assert.Equal([$"--output-format=simple|-q|-n|-l|{disk}", $"--output-format=simple|--entry|2|-q|{disk}"], pygrub.Calls);
    }

    [Fact]
    public void An_entry_without_an_initrd_ends_the_listing_and_can_still_be_chosen()
    {
        // pygrub lists entries 0 to 2 and stops after entry 2's args line; entry 3 is not seen.
        Vm("rhlike");
        var boot = Booted(host.RunAsXenopsd(InstalledGuests.OracleUekXenWithoutInitrd));
        AssertFiles(boot, InstalledGuests.OracleXenKernel, null);
        AssertInstallFinished("--entry 2");
        Assert.Contains(host.Syslog.Drain(), m => m.Contains("pygrub's listing stopped at entry 2 'Oracle Linux Server-base (2.6.18-308.el5xen)', which has no initrd"));
    }

    [Fact]
    public void A_chainloader_entry_ends_the_listing_and_only_el5uek_kernels_before_it_is_an_error()
    {
        Vm("rhlike");
        var otherConfig = new Dictionary<string, string>(host.State.Vms[0].OtherConfig);
        var result = host.RunAsXenopsd(InstalledGuests.OracleUekThenChainloader);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "RuntimeError: INVALID_SOURCE\npygrub's listing of the installed system stopped at entry 2 'Other', which has no kernel, " +
            "and every entry up to it is an Oracle el5uek kernel, which cannot boot as a PV guest, or has no kernel: " +
            "Oracle Linux Server (2.6.32-300.10.1.el5uek); Oracle Linux Server (2.6.32-200.13.1.el5uek); Other.\n", result.Stderr);
        Assert.Equal("eliloader", host.Vm.PvBootloader);
        Assert.Equal(otherConfig, host.Vm.OtherConfig);
        pygrubDir.AssertLeftAsItWas(before);
    }

    [Fact]
    public void Sles10_without_menu_lst_gets_its_boot_kernel_saved_and_passed()
    {
        var pygrub = Recorded();
        Vm("sleslike");
        var disk = InstalledGuests.Sles10;
        var boot = Booted(host.RunAsXenopsd(disk));
        AssertFiles(boot, InstalledGuests.Sles10Kernel, InstalledGuests.Sles10Initrd);
        Assert.Equal("", boot.Args);
        AssertInstallFinished("--kernel /boot/vmlinuz-xen --ramdisk /boot/initrd-xen");
        Assert.Equal(
        [
            $"-q|-n|{disk}",
            $"-n|--kernel|/vmlinuz-xen|--ramdisk|/initrd-xen|{disk}",
            $"-n|--kernel|/boot/vmlinuz-xen|--ramdisk|/boot/initrd-xen|{disk}",
            $"--kernel|/boot/vmlinuz-xen|--ramdisk|/boot/initrd-xen|-q|{disk}",
        ], pygrub.Calls);
    }

    [Fact]
    public void Sles10_i386_with_a_boot_partition_gets_the_xenpae_kernel_at_its_root()
    {
        Vm("sleslike", "i386");
        var boot = Booted(host.RunAsXenopsd(InstalledGuests.Sles10I386));
        AssertFiles(boot, InstalledGuests.Sles10PaeKernel, InstalledGuests.Sles10PaeInitrd);
        AssertInstallFinished("--kernel /vmlinuz-xenpae --ramdisk /initrd-xenpae");
    }

    [Fact]
    public void The_vm_option_is_not_given_to_xens_own_pygrub()
    {
        // Xen's pygrub exits 1 with its usage text when given --vm: eliloader keeps it out.
        var result = ProcessRunner.Run(PygrubDirectory.RealPygrub, ["-q", "--vm", Scenario.VmUuid, InstalledGuests.CentOs5]);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Usage: ", result.Stderr);
        Vm("rhlike");
        Booted(host.Run("-q", $"--vm={Scenario.VmUuid}", InstalledGuests.CentOs5));
    }

    public static TheoryData<string> Menus => new() { "centos5", "oracle-uek", "oracle-no-initrd", "oracle-chainloader", "centos7", "sles11" };

    private static string Disk(string name) => name switch
    {
        "centos5" => InstalledGuests.CentOs5,
        "oracle-uek" => InstalledGuests.OracleUek,
        "oracle-no-initrd" => InstalledGuests.OracleUekXenWithoutInitrd,
        "oracle-chainloader" => InstalledGuests.OracleUekThenChainloader,
        "centos7" => InstalledGuests.CentOs7,
        _ => InstalledGuests.Sles11,
    };

    [Theory]
    [MemberData(nameof(Menus))]
    public void The_listing_is_the_same_with_not_really_which_leaves_no_files(string menu)
    {
        var listing = ProcessRunner.Run(PygrubDirectory.RealPygrub, ["-q", "-l", Disk(menu)]);
        // Without -n pygrub makes its two output files before listing, and leaves them.
        var left = pygrubDir.NewSince(before).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length}").ToList();
        pygrubDir.RemoveNewSince(before);
        var notReally = ProcessRunner.Run(PygrubDirectory.RealPygrub, ["-q", "-n", "-l", Disk(menu)]);
        Assert.Equal(0, listing.ExitCode);
        Assert.Equal(0, notReally.ExitCode);
        Assert.Equal(listing.Stdout, notReally.Stdout);
        Assert.StartsWith("title: ", notReally.Stdout);
        Assert.Collection(left,
            kernel => Assert.Matches(@"^boot_kernel\..{8} 0$", kernel),
            ramdisk => Assert.Matches(@"^boot_ramdisk\..{8} 0$", ramdisk));
        pygrubDir.AssertLeftAsItWas(before);
    }
}
