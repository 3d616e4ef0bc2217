using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>FTP repositories against a real FTP server, and one that stalls.</summary>
[Collection(MirrorCollection.Name)]
public sealed class FtpTests(FtpMirror ftp) : IDisposable
{
    private readonly Scenario host = new();

    [Fact]
    public void Sleslike_installs_from_ftp_with_install_pointing_there()
    {
        host.AddVm(new() { ["install-distro"] = "sleslike", ["install-arch"] = "x86_64", ["install-repository"] = ftp.Url + "sles/11-sp4-x86_64" });
        var result = host.RunAsXenopsd();
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout);
        var tree = Path.Combine(RepoPaths.Mirrors, "sles/11-sp4-x86_64/boot/x86_64");
        BootLine.AssertFiles(host, line.Kernel, line.Ramdisk, Path.Combine(tree, "vmlinuz-xen"), Path.Combine(tree, "initrd-xen"));
        Assert.Equal($"  install={ftp.Url}sles/11-sp4-x86_64/", line.Args);
    }

    [Fact]
    public void Debian_installs_from_ftp_after_probing_with_size()
    {
        host.AddVm(new() { ["install-distro"] = "debianlike", ["install-arch"] = "i386", ["debian-release"] = "wheezy", ["install-repository"] = ftp.Url + "debian/" });
        var result = host.RunAsXenopsd();
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout);
        var tree = Path.Combine(RepoPaths.Mirrors, "debian/dists/wheezy/main/installer-i386/current/images/netboot/xen");
        BootLine.AssertFiles(host, line.Kernel, line.Ramdisk, Path.Combine(tree, "vmlinuz"), Path.Combine(tree, "initrd.gz"));
        Assert.Contains(host.Syslog.Drain(), m => m.Contains($"FTP SIZE {ftp.Url}debian/dists/wheezy/main/installer-i386/current/images/netboot/xen/vmlinuz: 213"));
    }

    [Fact]
    public void A_second_ftp_install_copies_from_the_cache_after_mdtm_and_size()
    {
        var repository = ftp.Url + "sles/11-sp4-x86_64";
        host.AddVm(new() { ["install-distro"] = "sleslike", ["install-arch"] = "x86_64", ["install-repository"] = repository }, "vm-one", 1);
        host.AddVm(new() { ["install-distro"] = "sleslike", ["install-arch"] = "x86_64", ["install-repository"] = repository }, "vm-two", 2);
        Assert.Equal(0, host.Run("-q", "--vm", "vm-one", "").ExitCode);
        host.Syslog.Drain();
        var second = host.Run("-q", "--vm", "vm-two", "");
        Assert.True(second.ExitCode == 0, second.Stderr);
        var (kernel, ramdisk, _) = BootLine.ParseSxp(host, second.Stdout);
        var tree = Path.Combine(RepoPaths.Mirrors, "sles/11-sp4-x86_64/boot/x86_64");
        Assert.Equal(File.ReadAllBytes(Path.Combine(tree, "initrd-xen")), File.ReadAllBytes(ramdisk!));
        Assert.Equal(File.ReadAllBytes(Path.Combine(tree, "vmlinuz-xen")), File.ReadAllBytes(kernel));
        var log = host.Syslog.Drain();
        Assert.Contains(log, m => m.Contains($"copied {repository}/boot/x86_64/initrd-xen from the cache"));
        Assert.DoesNotContain(log, m => m.StartsWith("FTP RETR " + repository + "/boot", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_ftp_file_is_invalid_source()
    {
        host.AddVm(new() { ["install-distro"] = "rhlike", ["install-repository"] = ftp.Url + "centos/9/os" });
        var result = host.RunAsXenopsd();
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nUnable to access a required file in the specified repository: {ftp.Url}centos/9/os/isolinux/vmlinuz.\n", result.Stderr);
        Assert.Empty(host.BootFiles());
    }

    [Fact]
    public void A_stalled_ftp_transfer_fails_after_the_timeout_and_leaves_nothing()
    {
        using var stalling = new StallingFtpServer();
        host.AddVm(new() { ["install-distro"] = "rhlike", ["install-repository"] = stalling.Url + "centos" });
        host.Config["download-timeout"] = "2";
        var result = host.RunAsXenopsd();
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nDownload of '{stalling.Url}centos/images/xen/vmlinuz' failed: no data received for 2 seconds (10 of 100000 bytes received).\n", result.Stderr);
        Assert.Empty(host.BootFiles());
    }

    [Fact]
    public void A_refused_ftp_connection_is_invalid_source()
    {
        host.AddVm(new() { ["install-distro"] = "rhlike", ["install-repository"] = $"ftp://127.0.0.1:{FreePort.Next()}/centos" });
        var result = host.RunAsXenopsd();
        Assert.StartsWith("RuntimeError: INVALID_SOURCE\nUnable to access a required file in the specified repository: ftp://127.0.0.1:", result.Stderr);
    }

    public void Dispose() => host.Dispose();
}
