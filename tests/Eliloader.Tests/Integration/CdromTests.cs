using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>CD installs: the image in the VM's drive read in process, and the disk made bootable for the next boot.</summary>
public sealed class CdromTests : IDisposable
{
    private readonly Scenario host = new();

    private ProcessResult Install(string image, params (string Key, string Value)[] keys)
    {
        var otherConfig = new Dictionary<string, string> { ["install-repository"] = "cdrom" };
        foreach (var (key, value) in keys)
            otherConfig[key] = value;
        host.AddVm(otherConfig);
        return host.RunAsXenopsd(image);
    }

    private void AssertDiskBootsNext()
    {
        var vbds = host.Vm.Vbds;
        Assert.True(vbds.Single(v => v.Userdevice == "0").Bootable);
        Assert.False(vbds.Single(v => v.Userdevice == "3").Bootable);
    }

    private void AssertFromTree(ProcessResult result, string tree, string kernel, string ramdisk, string args)
    {
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout);
        BootLine.AssertFiles(host, line.Kernel, line.Ramdisk, Path.Combine(tree, kernel), Path.Combine(tree, ramdisk));
        Assert.Equal(args, line.Args);
    }

    [Theory]
    [InlineData("amd64", "install.amd/xen")]
    [InlineData("x86_64", "install.amd")]
    [InlineData("i386", "install.386/xen")]
    [InlineData("i386", "install")]
    public void Debian_media_in_each_layout(string arch, string layout)
    {
        var netbootArch = arch == "i386" ? "i386" : "amd64";
        var image = MediumBuilder.DebianMedium("debian", "wheezy", netbootArch, layout);
        var result = Install(image, ("install-distro", "debianlike"), ("install-arch", arch), ("debian-release", "wheezy"));
        var netboot = Path.Combine(RepoPaths.Mirrors, $"debian/dists/wheezy/main/installer-{netbootArch}/current/images/netboot/xen");
        AssertFromTree(result, netboot, "vmlinuz", "initrd.gz", " ");
        AssertDiskBootsNext();
        Assert.Equal("pygrub", host.Vm.PvBootloader);
    }

    [Fact]
    public void Rhlike_medium_takes_images_xen_with_no_method()
    {
        var tree = Path.Combine(RepoPaths.Mirrors, "centos/5.11/os/x86_64");
        var result = Install(MediumBuilder.ImageOf("centos/5.11/os/x86_64"), ("install-distro", "rhlike"));
        AssertFromTree(result, tree, "images/xen/vmlinuz", "images/xen/initrd.img", " ");
        AssertDiskBootsNext();
        Assert.Equal("2", host.Vm.OtherConfig["install-round"]);
    }

    [Fact]
    public void Sleslike_medium_adds_install_hd()
    {
        var tree = Path.Combine(RepoPaths.Mirrors, "sles/10-sp4-i386");
        var result = Install(MediumBuilder.ImageOf("sles/10-sp4-i386"), ("install-distro", "sleslike"), ("install-arch", "i386"));
        AssertFromTree(result, tree, "boot/i386/vmlinuz-xenpae", "boot/i386/initrd-xenpae", "  install=hd");
    }

    [Fact]
    public void A_debian_medium_without_a_kernel_names_install_vmlinuz()
    {
        var image = MediumBuilder.ImageOf("xenapi-sdk");
        var result = Install(image, ("install-distro", "debianlike"), ("install-arch", "amd64"), ("debian-release", "wheezy"));
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nUnable to access a required file in the specified repository: {image}:/install/vmlinuz.\n", result.Stderr);
        Assert.Empty(host.BootFiles());
        Assert.All(host.Vm.Vbds, v => Assert.False(v.Bootable));
    }

    [Fact]
    public void An_unusual_arch_is_a_clear_error_not_a_crash()
    {
        var result = Install(MediumBuilder.ImageOf("xenapi-sdk"), ("install-distro", "debianlike"), ("install-arch", "armhf"), ("debian-release", "wheezy"));
        Assert.Equal("RuntimeError: UNSUPPORTED_INSTALL_METHOD\nother-config:install-arch is 'armhf', which debianlike does not support (i386, amd64, x86_64).\n", result.Stderr);
    }

    [Fact]
    public void An_empty_drive_is_invalid_source()
    {
        var result = Install("", ("install-distro", "rhlike"));
        Assert.Equal("RuntimeError: INVALID_SOURCE\ncdrom repo: the VM's CD drive is empty\n", result.Stderr);
    }

    [Fact]
    public void A_damaged_image_is_invalid_source_naming_the_problem_and_leaves_nothing()
    {
        var image = File.ReadAllBytes(MediumBuilder.ImageOf("centos/5.11/os/x86_64"));
        var damaged = Path.Combine(host.Directory, "damaged.iso");
        // Cut the image short inside the kernel: its extent now lies past the image's end.
        var kernel = image.AsSpan().IndexOf("stand-in centos/5.11/os/x86_64/images/xen/vmlinuz"u8);
        Assert.True(kernel > 0);
        File.WriteAllBytes(damaged, image[..(kernel + 100)]);
        var result = Install(damaged, ("install-distro", "rhlike"));
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"RuntimeError: INVALID_SOURCE\ncdrom repo {damaged}: ", result.Stderr);
        Assert.Contains("past the end of the image", result.Stderr);
        Assert.Empty(host.BootFiles());
    }

    [Fact]
    public void Not_an_iso_is_invalid_source()
    {
        var bogus = Path.Combine(host.Directory, "bogus.iso");
        File.WriteAllBytes(bogus, new byte[100_000]);
        var result = Install(bogus, ("install-distro", "rhlike"));
        Assert.Equal($"RuntimeError: INVALID_SOURCE\ncdrom repo {bogus}: not an ISO 9660 image: no volume descriptor at sector 16\n", result.Stderr);
    }

    public void Dispose() => host.Dispose();
}
