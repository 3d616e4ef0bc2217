using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>Round 1 of every family over http: which files each picks, the args it prints, what the VM keeps.</summary>
[Collection(MirrorCollection.Name)]
public sealed class FamilyTests(NginxMirror mirror) : IDisposable
{
    private readonly Scenario host = new();

    private ProcessResult FirstBoot(string distro, string tree, params (string Key, string Value)[] keys)
    {
        var otherConfig = new Dictionary<string, string> { ["install-distro"] = distro, ["install-repository"] = mirror.HttpUrl + tree };
        foreach (var (key, value) in keys)
            otherConfig[key] = value;
        host.AddVm(otherConfig);
        return host.RunAsXenopsd();
    }

    private void AssertPicked(ProcessResult result, string tree, string kernel, string? ramdisk, string args)
    {
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout);
        Assert.Equal(args, line.Args);
        var root = Path.Combine(RepoPaths.Mirrors, tree);
        BootLine.AssertFiles(host, line.Kernel, line.Ramdisk, Path.Combine(root, kernel), ramdisk is null ? null : Path.Combine(root, ramdisk));
    }

    private void AssertWaitsForRoundTwo(string distro)
    {
        Assert.Equal("eliloader", host.Vm.PvBootloader);
        Assert.Equal("2", host.Vm.OtherConfig["install-round"]);
        Assert.Equal(distro, host.Vm.OtherConfig["install-distro"]);
    }

    [Fact]
    public void Rhlike_5_takes_images_xen_and_adds_method()
    {
        var result = FirstBoot("rhlike", "centos/5.11/os/x86_64");
        AssertPicked(result, "centos/5.11/os/x86_64", "images/xen/vmlinuz", "images/xen/initrd.img", $" method={mirror.HttpUrl}centos/5.11/os/x86_64/");
        AssertWaitsForRoundTwo("rhlike");
    }

    [Fact]
    public void Rhlike_4_5_without_images_xen_takes_isolinux()
    {
        var result = FirstBoot("rhlike", "centos/4.5/os/i386/", ("install-vnc", "1"));
        AssertPicked(result, "centos/4.5/os/i386", "isolinux/vmlinuz", "isolinux/initrd.img", $" method={mirror.HttpUrl}centos/4.5/os/i386/ vnc");
    }

    [Fact]
    public void Rhlike_6_takes_isolinux_as_the_python_loader_did_despite_its_treeinfo()
    {
        var result = FirstBoot("rhlike", "centos/6.10/os/x86_64");
        AssertPicked(result, "centos/6.10/os/x86_64", "isolinux/vmlinuz", "isolinux/initrd.img", $" method={mirror.HttpUrl}centos/6.10/os/x86_64/");
    }

    [Fact]
    public void Rhlike_7_tree_without_isolinux_is_found_through_treeinfo()
    {
        var result = FirstBoot("rhlike", "centos/7.9.2009/os/x86_64");
        AssertPicked(result, "centos/7.9.2009/os/x86_64", "images/pxeboot/vmlinuz", "images/pxeboot/initrd.img", $" method={mirror.HttpUrl}centos/7.9.2009/os/x86_64/");
    }

    [Fact]
    public void Rhlike_without_a_kernel_names_isolinux_as_the_python_loader_did()
    {
        var result = FirstBoot("rhlike", "nowhere");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nUnable to access a required file in the specified repository: {mirror.HttpUrl}nowhere/isolinux/vmlinuz.\n", result.Stderr);
        Assert.Empty(host.BootFiles());
    }

    [Theory]
    [InlineData("kernel = ../../etc/shadow", "'../../etc/shadow'")]
    [InlineData("kernel = /etc/shadow", "'/etc/shadow'")]
    [InlineData("kernel images/pxeboot/vmlinuz", "line 2 is not 'key = value' inside a section")]
    public void A_hostile_treeinfo_is_invalid_source(string line, string named)
    {
        var (directory, url) = mirror.ScratchTree();
        File.WriteAllText(Path.Combine(directory, ".treeinfo"), $"[images-xen]\n{line}\ninitrd = images/pxeboot/initrd.img\n");
        host.AddVm(new() { ["install-distro"] = "rhlike", ["install-repository"] = url });
        var result = host.RunAsXenopsd();
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"RuntimeError: INVALID_SOURCE\n{url}.treeinfo", result.Stderr);
        Assert.Contains(named, result.Stderr);
        Assert.Empty(host.BootFiles());
    }

    [Theory]
    [InlineData("rhlike", "centos/7.9.2009/os/x86_64", "images/pxeboot/initrd.img", "sha256", ".treeinfo")]
    [InlineData("sleslike", "sles/11-sp4-x86_64", "boot/x86_64/initrd-xen", "sha1", "content")]
    public void A_ramdisk_that_does_not_match_its_published_checksum_is_refused(string distro, string fixture, string ramdisk, string algorithm, string list)
    {
        var (directory, url) = mirror.ScratchTree();
        ProcessRunner.Run("cp", ["-a", Path.Combine(RepoPaths.Mirrors, fixture) + "/.", directory]);
        File.AppendAllText(Path.Combine(directory, ramdisk), "tampered");
        host.AddVm(new() { ["install-distro"] = distro, ["install-repository"] = url, ["install-arch"] = "x86_64" });
        var result = host.RunAsXenopsd();
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"RuntimeError: INVALID_SOURCE\nFile '{url}{ramdisk}' does not match the {algorithm} checksum published in {url}{list}: expected ", result.Stderr);
        Assert.Empty(host.BootFiles());
    }

    [Fact]
    public void A_huge_treeinfo_is_refused()
    {
        var (directory, url) = mirror.ScratchTree();
        File.WriteAllText(Path.Combine(directory, ".treeinfo"), "[general]\n" + string.Concat(Enumerable.Repeat("# padding line\n", 80_000)));
        host.AddVm(new() { ["install-distro"] = "rhlike", ["install-repository"] = url });
        var result = host.RunAsXenopsd();
        Assert.Equal($"RuntimeError: INVALID_SOURCE\n{url}.treeinfo: input is larger than 1048576 bytes.\n", result.Stderr);
    }

    [Fact]
    public void Sleslike_x86_64_takes_the_xen_kernel_and_adds_install()
    {
        var result = FirstBoot("sleslike", "sles/11-sp4-x86_64/", ("install-arch", "x86_64"));
        AssertPicked(result, "sles/11-sp4-x86_64", "boot/x86_64/vmlinuz-xen", "boot/x86_64/initrd-xen", $"  install={mirror.HttpUrl}sles/11-sp4-x86_64/");
        AssertWaitsForRoundTwo("sleslike");
    }

    [Fact]
    public void Sleslike_i386_takes_the_xenpae_kernel()
    {
        var result = FirstBoot("sleslike", "sles/10-sp4-i386", ("install-arch", "i386"), ("install-vncpasswd", "pw"));
        AssertPicked(result, "sles/10-sp4-i386", "boot/i386/vmlinuz-xenpae", "boot/i386/initrd-xenpae", $"  install={mirror.HttpUrl}sles/10-sp4-i386/ vncpassword=pw");
    }

    [Fact]
    public void Sleslike_12_without_a_xen_kernel_takes_the_loader_kernel()
    {
        var result = FirstBoot("sleslike", "sles/12-sp2-x86_64", ("install-arch", "x86_64"));
        AssertPicked(result, "sles/12-sp2-x86_64", "boot/x86_64/loader/linux", "boot/x86_64/loader/initrd", $"  install={mirror.HttpUrl}sles/12-sp2-x86_64/");
    }

    [Fact]
    public void Sleslike_without_a_kernel_has_its_own_message()
    {
        var result = FirstBoot("sleslike", "sles/10-sp4-i386", ("install-arch", "x86_64"));
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nThe repository specified did not contain a required file, {mirror.HttpUrl}sles/10-sp4-i386/boot/x86_64/vmlinuz-xen.\n", result.Stderr);
    }

    [Fact]
    public void Pygrub_network_install_fetches_install_kernel_and_ramdisk()
    {
        var result = FirstBoot("pygrub", "xenapi-sdk", ("install-kernel", "vmlinuz"), ("install-ramdisk", "install.img"));
        AssertPicked(result, "xenapi-sdk", "vmlinuz", "install.img", " ");
        Assert.Equal("pygrub", host.Vm.PvBootloader);
        Assert.False(host.Vm.OtherConfig.ContainsKey("install-distro"));
    }

    [Fact]
    public void Pygrub_network_install_without_ramdisk_prints_no_ramdisk()
    {
        var result = FirstBoot("pygrub", "xenapi-sdk", ("install-kernel", "vmlinuz"));
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("ramdisk", result.Stdout);
        Assert.Single(host.BootFiles());
    }

    [Fact]
    public void Pygrub_network_install_needs_install_kernel()
    {
        var result = FirstBoot("pygrub", "xenapi-sdk");
        Assert.Equal("RuntimeError: INVALID_SOURCE\ninstall-distro=pygrub requires install-kernel for network boot\n", result.Stderr);
    }

    [Fact]
    public void Ubuntu_legacy_images_are_found_after_the_netboot_tree()
    {
        var result = FirstBoot("debianlike", "ubuntu", ("debian-release", "focal"), ("install-arch", "amd64"));
        const string tree = "ubuntu/dists/focal/main/installer-amd64/current/legacy-images/netboot/xen";
        AssertPicked(result, tree, "vmlinuz", "initrd.gz", " ");
    }

    public void Dispose() => host.Dispose();
}
