using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>
/// The pygrub family's CD install with Debian's real pygrub on an ISO built by
/// xorriso: pygrub extracts the installer into /var/run/xen/pygrub in the caller's
/// format, eliloader hands its kernel and ramdisk on, and the toolstack takes the
/// boot line, builds the domain and deletes the files.
/// </summary>
public sealed class PygrubMediumTests(PygrubDirectory directory) : RealPygrubTest(directory)
{
    private ProcessResult Install(string image)
    {
        host.AddVm(new() { ["install-distro"] = "pygrub", ["install-repository"] = "cdrom" });
        return host.RunAsXenopsd(image);
    }

    private void AssertInstalled(ProcessResult result, bool simple)
    {
        Assert.True(result.ExitCode == 0, result.Stderr);
        var boot = ToolstackAnswer.Accept(result.Stdout, simple, host.BootDir, PygrubDirectory.Path);
        Assert.Equal(PygrubDirectory.Path, Path.GetDirectoryName(boot.Kernel));
        Assert.Equal(File.ReadAllBytes(InstalledGuests.SdkFile("vmlinuz")), boot.KernelBytes);
        Assert.Equal(File.ReadAllBytes(InstalledGuests.SdkFile("install.img")), boot.RamdiskBytes);
        // pygrub's args come from the medium ("console=hvc0 install") and are not handed on.
        Assert.Equal(" ", boot.Args);
        pygrubDir.AssertLeftAsItWas(before);
        Assert.Equal("pygrub", host.Vm.PvBootloader);
        Assert.True(host.Vm.Vbds.Single(v => v.Userdevice == "0").Bootable);
        Assert.Empty(host.BootFiles());
    }

    [Fact]
    public void An_sxp_caller_reads_pygrubs_sxp_answer()
    {
        // The SXP-era loader ran pygrub without --output-format (its pygrub may predate the option) and read the SXP answer.
        AssertInstalled(Install(InstalledGuests.XenApiSdkMedium), simple: false);
    }

    [Fact]
    public void A_simple_format_caller_asks_pygrub_for_the_simple_format()
    {
        host.Config["output-format"] = "simple";
        AssertInstalled(Install(InstalledGuests.XenApiSdkMedium), simple: true);
    }

    [Fact]
    public void A_medium_pygrub_cannot_boot_is_invalid_source_and_leaves_nothing()
    {
        // The Python loader: INVALID_SOURCE "Error 1 running /usr/bin/pygrub" for any failing run.
        var bare = GuestDisks.Iso("no-menu", new GuestFile("/vmlinuz", CopyOf: InstalledGuests.SdkFile("vmlinuz")));
        var result = Install(bare);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nError 1 running {PygrubDirectory.RealPygrub}: RuntimeError: Unable to find partition containing kernel\n", result.Stderr);
        pygrubDir.AssertLeftAsItWas(before);
        Assert.Equal("eliloader", host.Vm.PvBootloader);
    }

    [Fact]
    public void A_kernel_over_the_limit_is_removed_from_pygrubs_directory()
    {
        host.State.Xenstore["/mh/limits/pv-kernel-max-size"] = "1000";
        var result = Install(InstalledGuests.XenApiSdkMedium);
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^RuntimeError: LIMITS\nFile '/var/run/xen/pygrub/boot_kernel\.[^']+' exceeds limit of 1000 bytes\n$", result.Stderr);
        pygrubDir.AssertLeftAsItWas(before);
        Assert.Equal("eliloader", host.Vm.PvBootloader);
    }
}
