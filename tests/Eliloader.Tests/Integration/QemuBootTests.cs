using System.Security.Cryptography;
using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>
/// A real boot: the real Debian 12 netboot kernel with the initrd eliloader patched on
/// a normal first boot, started in qemu (TCG). The overlay's /init prints a marker on
/// the serial console and powers off; the test passes when the marker appears.
/// </summary>
[Collection(MirrorCollection.Name)]
public sealed class QemuBootTests(NginxMirror mirror) : IDisposable
{
    private const string Marker = "ELILOADER-E2E-MARKER: the patched initrd is running";
    private readonly Scenario host = new();

    [Fact]
    [Trait("Category", "e2e")]
    public void The_patched_debian_12_initrd_boots_in_qemu()
    {
        var initrd = Path.Combine(RepoPaths.Debian12Mirror, "dists/bookworm/main/installer-amd64/current/images/netboot/xen/initrd.gz");
        var guestInstaller = Path.Combine(host.Directory, "guest-installer");
        var overlay = Path.Combine(host.Directory, "overlay");
        Directory.CreateDirectory(guestInstaller);
        Directory.CreateDirectory(overlay);
        File.WriteAllText(Path.Combine(overlay, "init"), $"""
            #!/bin/sh
            mount -t proc proc /proc
            echo "{Marker}"
            echo o > /proc/sysrq-trigger
            sleep 30

            """);
        File.SetUnixFileMode(Path.Combine(overlay, "init"), (UnixFileMode)0b111_101_101);
        var pack = ProcessRunner.Run("bash", ["-c", $"cd {overlay} && echo init | cpio -o -H newc --quiet > {guestInstaller}/e2e.cpio"]);
        Assert.Equal(0, pack.ExitCode);
        var md5 = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(initrd)));
        File.WriteAllText(Path.Combine(guestInstaller, "e2e.map"), $"{md5} cpio e2e.cpio Debian 12 netboot, end-to-end test\n");

        host.Config["guest-installer-dir"] = guestInstaller;
        host.AddVm(new()
        {
            ["install-distro"] = "debianlike",
            ["install-repository"] = mirror.HttpUrl + "debian12/",
            ["debian-release"] = "bookworm",
            ["install-arch"] = "amd64",
        });
        // The unpacked initrd (131 MiB) is above the default 128 MiB: this host allows more.
        host.State.Xenstore["/mh/limits/pv-ramdisk-max-size"] = (256 << 20).ToString();
        host.Config["output-format"] = "simple";
        var boot = host.RunAsXenopsd();
        Assert.True(boot.ExitCode == 0, boot.Stderr);
        var lines = boot.Stdout.Split('\n');
        var kernel = lines.Single(l => l.StartsWith("kernel ", StringComparison.Ordinal))["kernel ".Length..];
        var ramdisk = lines.Single(l => l.StartsWith("ramdisk ", StringComparison.Ordinal))["ramdisk ".Length..];
        Assert.Contains("/tweaked-initrd-", ramdisk);

        var qemu = ProcessRunner.Run("qemu-system-x86_64",
            ["-m", "768", "-nographic", "-no-reboot", "-kernel", kernel, "-initrd", ramdisk, "-append", "console=ttyS0 panic=-1 quiet"],
            timeout: TimeSpan.FromMinutes(8));
        Assert.True(qemu.Stdout.Contains(Marker), "no marker on the serial console:\n" + qemu.Stdout[^Math.Min(qemu.Stdout.Length, 3000)..] + qemu.Stderr);
    }

    public void Dispose() => host.Dispose();
}
