using System.IO.Compression;
using System.Security.Cryptography;
using Eliloader.Tests.Support;

namespace Eliloader.Tests.Integration;

/// <summary>
/// Guest-installer map files: a downloaded ramdisk whose MD5 a map names is patched
/// with the overlay in process, and the patched one is handed out instead.
/// </summary>
[Collection(MirrorCollection.Name)]
public sealed class RamdiskFixupTests(NginxMirror mirror) : IDisposable
{
    private readonly Scenario host = new();
    private const string Netboot = "debian/dists/squeeze/main/installer-amd64/current/images/netboot/xen";
    private static readonly string VendorInitrd = Path.Combine(RepoPaths.Mirrors, Netboot, "initrd.gz");

    private string GuestInstallerDir => Path.Combine(host.Directory, "guest-installer");

    private static string Md5(string path) => Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)));

    private static string Bash(string script)
    {
        var result = ProcessRunner.Run("bash", ["-euo", "pipefail", "-c", script]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout;
    }

    /// <summary>An overlay replacing /init and adding a file, and a map naming the vendor initrd.</summary>
    private string Prepare(string mapLine)
    {
        var tree = Path.Combine(host.Directory, "overlay-tree");
        Directory.CreateDirectory(GuestInstallerDir);
        Bash($"""
            mkdir -p {tree}/sbin
            printf '#!/bin/sh\necho patched for xen\n' > {tree}/init; chmod 755 {tree}/init
            echo helper > {tree}/sbin/xen-cd
            cd {tree} && find . | LC_ALL=C sort | cpio -o -H newc --quiet > {GuestInstallerDir}/squeeze-additions.cpio
            """);
        File.WriteAllText(Path.Combine(GuestInstallerDir, "debian.map"), $"# map for the tests\n\n{mapLine}\n");
        host.Config["guest-installer-dir"] = GuestInstallerDir;
        host.AddVm(MirrorTrees.DebianVm(mirror.HttpUrl + "debian", "squeeze"));
        return Path.Combine(GuestInstallerDir, "squeeze-additions.cpio");
    }

    private (string Kernel, string Ramdisk) Boot()
    {
        var result = host.RunAsXenopsd();
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = BootLine.ParseSxp(host, result.Stdout.Replace("/tweaked-initrd-", "/ramdisk-"));
        var ramdisk = line.Ramdisk!.Replace("/ramdisk-", "/tweaked-initrd-");
        Assert.Equal(new[] { line.Kernel, ramdisk }.Order(), host.BootFiles());
        return (line.Kernel, ramdisk);
    }

    [Fact]
    public void A_ramdisk_copied_from_the_cache_is_patched_by_the_md5_kept_with_it()
    {
        Prepare($"{Md5(VendorInitrd)} cpio squeeze-additions.cpio Debian squeeze (stand-in)");
        var (_, first) = Boot();
        host.AddVm(MirrorTrees.DebianVm(mirror.HttpUrl + "debian", "squeeze"), "vm-two", 2);
        host.Syslog.Drain();
        var second = host.Run("-q", "--vm", "vm-two", "");
        Assert.True(second.ExitCode == 0, second.Stderr);
        var patched = System.Text.RegularExpressions.Regex.Match(second.Stdout, @"\(ramdisk (/[^)]+)\)").Groups[1].Value;
        Assert.StartsWith(Path.Combine(host.BootDir, "tweaked-initrd-"), patched);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(patched));
        var log = host.Syslog.Drain();
        Assert.Contains(log, line => line.Contains("initrd.gz from the cache"));
        Assert.Contains(log, line => line.Contains($"ramdisk MD5 {Md5(VendorInitrd)} is Debian squeeze (stand-in)"));
    }

    [Fact]
    public void A_named_ramdisk_is_rewritten_with_the_overlay_as_gnu_cpio_would_unpack_them()
    {
        var overlay = Prepare($"{Md5(VendorInitrd)} cpio squeeze-additions.cpio Debian squeeze (stand-in)");
        var (_, ramdisk) = Boot();
        Assert.StartsWith(Path.Combine(host.BootDir, "tweaked-initrd-"), ramdisk);
        Assert.Equal("070701"u8.ToArray(), File.ReadAllBytes(ramdisk)[..6]);
        var ours = Path.Combine(host.Directory, "ours");
        var reference = Path.Combine(host.Directory, "reference");
        Bash($"""
            mkdir {ours} {reference}
            cd {ours} && cpio -idm --quiet < {ramdisk}
            cd {reference} && zcat {VendorInitrd} | cpio -idum --quiet && cpio -idum --quiet < {overlay}
            diff -r --no-dereference {reference} {ours}
            """);
        Assert.Equal("#!/bin/sh\necho patched for xen\n", File.ReadAllText(Path.Combine(ours, "init")));
        Assert.Equal("squeeze\n", File.ReadAllText(Path.Combine(ours, "etc/release")));
        Assert.Contains(host.Syslog.Drain(), m => m.Contains("is Debian squeeze (stand-in): applying"));
    }

    [Fact]
    public void Gzip_compression_when_configured()
    {
        Prepare($"{Md5(VendorInitrd)} cpio squeeze-additions.cpio Debian squeeze");
        host.Config["patched-initrd-compression"] = "gzip";
        var (_, ramdisk) = Boot();
        Assert.Equal(new byte[] { 0x1F, 0x8B }, File.ReadAllBytes(ramdisk)[..2]);
        Assert.Contains("sbin/xen-cd", Bash($"zcat {ramdisk} | cpio -it --quiet"));
    }

    [Fact]
    public void Append_keeps_the_vendor_bytes_and_adds_the_overlay_on_a_four_byte_boundary()
    {
        var overlay = Prepare($"{Md5(VendorInitrd)} cpio squeeze-additions.cpio Debian squeeze");
        host.Config["initrd-fixup"] = "append";
        var (_, ramdisk) = Boot();
        var vendor = File.ReadAllBytes(VendorInitrd);
        var padded = (vendor.Length + 3) / 4 * 4;
        var patched = File.ReadAllBytes(ramdisk);
        Assert.Equal(vendor, patched[..vendor.Length]);
        Assert.All(patched[vendor.Length..padded], b => Assert.Equal(0, b));
        Assert.Equal(File.ReadAllBytes(overlay), patched[padded..]);
    }

    [Fact]
    public void A_ramdisk_no_map_names_is_handed_out_untouched()
    {
        Prepare("0123456789abcdef0123456789abcdef cpio squeeze-additions.cpio Some other initrd");
        var result = host.RunAsXenopsd();
        var line = BootLine.ParseSxp(host, result.Stdout);
        Assert.Equal(File.ReadAllBytes(VendorInitrd), File.ReadAllBytes(line.Ramdisk!));
        Assert.Contains(host.Syslog.Drain(), m => m.Contains($"ramdisk MD5 {Md5(VendorInitrd)}: no guest-installer fixup"));
    }

    [Fact]
    public void A_missing_overlay_is_support_package_missing_and_leaves_nothing()
    {
        var overlay = Prepare($"{Md5(VendorInitrd)} cpio squeeze-additions.cpio Debian squeeze");
        File.Delete(overlay);
        var result = host.RunAsXenopsd();
        Assert.Equal($"RuntimeError: SUPPORT_PACKAGE_MISSING\nDom0 does not contain a required file: {overlay}\n", result.Stderr);
        Assert.Empty(host.BootFiles());
    }

    [Theory]
    [InlineData("abc cpio", "line 3: missing field")]
    [InlineData("abc squashfs x.img Some distro", "line 3: incorrect initrd type 'squashfs': must be cpio or ext2")]
    [InlineData("abc cpio ../x.cpio Some distro", "line 3: overlay '../x.cpio' must be a file name in")]
    public void A_bad_map_line_is_an_error_naming_file_and_line(string line, string message)
    {
        Prepare(line);
        var result = host.RunAsXenopsd();
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"RuntimeError: INTERNAL_ERROR\nInvalid guest-installer map, {GuestInstallerDir}/debian.map {message}", result.Stderr);
        Assert.Empty(host.BootFiles());
    }

    [Fact]
    public void A_decompression_bomb_is_limits_and_leaves_nothing()
    {
        var (directory, url) = mirror.ScratchTree();
        var netboot = Path.Combine(directory, "dists/squeeze/main/installer-amd64/current/images/netboot/xen");
        Directory.CreateDirectory(netboot);
        File.Copy(Path.Combine(RepoPaths.Mirrors, Netboot, "vmlinuz"), Path.Combine(netboot, "vmlinuz"));
        Bash($"head -c 20000000 /dev/zero | gzip -1 > {netboot}/initrd.gz");
        Prepare($"{Md5(Path.Combine(netboot, "initrd.gz"))} cpio squeeze-additions.cpio Bomb");
        host.Vm.OtherConfig["install-repository"] = url;
        host.State.Xenstore["/mh/limits/pv-ramdisk-max-size"] = "1000000";
        var result = host.RunAsXenopsd();
        Assert.Equal($"RuntimeError: LIMITS\nFile '{url}dists/squeeze/main/installer-amd64/current/images/netboot/xen/initrd.gz' exceeds limit of 1000000 bytes\n", result.Stderr);
        Assert.Empty(host.BootFiles());
    }

    [Fact]
    public void A_gigabyte_of_gzipped_zeros_is_limits_within_a_second_of_cpu()
    {
        // About a megabyte of gzip: the reader takes the zeros for padding, which used to be skipped byte by byte (11-18 s).
        var (directory, url) = mirror.ScratchTree();
        var netboot = Path.Combine(directory, "dists/squeeze/main/installer-amd64/current/images/netboot/xen");
        Directory.CreateDirectory(netboot);
        File.Copy(Path.Combine(RepoPaths.Mirrors, Netboot, "vmlinuz"), Path.Combine(netboot, "vmlinuz"));
        var bomb = Path.Combine(netboot, "initrd.gz");
        using (var gzip = new GZipStream(File.Create(bomb), CompressionLevel.Optimal))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 1024; i++)
                gzip.Write(zeros);
        }
        Assert.InRange(new FileInfo(bomb).Length, 1, 2 << 20);
        Prepare($"{Md5(bomb)} cpio squeeze-additions.cpio Bomb");
        host.Vm.OtherConfig["install-repository"] = url;
        var (result, wall, cpu, peakKib) = host.RunAsXenopsdMeasured();
        Assert.Equal($"RuntimeError: LIMITS\nFile '{url}dists/squeeze/main/installer-amd64/current/images/netboot/xen/initrd.gz' exceeds limit of 134217728 bytes\n", result.Stderr);
        Assert.True(cpu < 1, $"{cpu} s of CPU");
        Assert.True(wall < 10, $"{wall} s");
        Assert.True(peakKib < 40 * 1024, $"{peakKib} KiB");
        Assert.Empty(host.BootFiles());
    }

    /// <summary>
    /// A RHEL 4 style tree whose ramdisk is a gzipped ext2 image (4096 1 KiB blocks, 256
    /// inodes), damaged as given before it is compressed, and a map line naming it.
    /// </summary>
    private (string Url, string Overlay) Ext2Ramdisk(Action<byte[]>? damage = null)
    {
        var (directory, url) = mirror.ScratchTree();
        var xen = Path.Combine(directory, "images/xen");
        var vendorTree = Path.Combine(host.Directory, "rhel4-initrd");
        var image = Path.Combine(host.Directory, "initrd.img");
        Directory.CreateDirectory(xen);
        File.WriteAllText(Path.Combine(xen, "vmlinuz"), "stand-in RHEL 4 kernel");
        Bash($"""
            mkdir -p {vendorTree}/sbin {vendorTree}/etc
            printf '#!/bin/sh\necho rhel4\n' > {vendorTree}/init; chmod 755 {vendorTree}/init
            head -c 200000 /dev/urandom > {vendorTree}/sbin/loader
            echo 4.8 > {vendorTree}/etc/release
            mke2fs -q -F -t ext2 -b 1024 -I 128 -N 256 -O ^resize_inode,^dir_index -d {vendorTree} {image} 4096
            """);
        var bytes = File.ReadAllBytes(image);
        damage?.Invoke(bytes);
        File.WriteAllBytes(image, bytes);
        Bash($"gzip -9n < {image} > {xen}/initrd.img");
        var overlay = Prepare($"{Md5(Path.Combine(xen, "initrd.img"))} ext2 squeeze-additions.cpio Red Hat Enterprise Linux 4.8");
        host.Vm.OtherConfig["install-distro"] = "rhlike";
        host.Vm.OtherConfig["install-repository"] = url;
        return (url, overlay);
    }

    [Fact]
    public void A_gzipped_ext2_ramdisk_is_rebuilt_with_the_overlay_and_passes_e2fsck()
    {
        var (_, overlay) = Ext2Ramdisk();
        var (_, ramdisk) = Boot();
        Assert.Equal(4096 * 1024, new FileInfo(ramdisk).Length);
        Assert.Contains("CLEAN", Bash($"e2fsck -fn {ramdisk} >/dev/null 2>&1 && echo CLEAN || echo DIRTY"));
        Assert.Equal("#!/bin/sh\necho patched for xen\n", Bash($"debugfs -R 'cat /init' {ramdisk} 2>/dev/null"));
        Assert.Equal("helper\n", Bash($"debugfs -R 'cat /sbin/xen-cd' {ramdisk} 2>/dev/null"));
        Assert.Equal("4.8\n", Bash($"debugfs -R 'cat /etc/release' {ramdisk} 2>/dev/null"));
        Assert.True(File.Exists(overlay));
        Assert.DoesNotContain(host.BootFiles(), f => f.Contains("unpacked-initrd"));
    }

    [Theory]
    [InlineData("first data block", "ext2 superblock puts the first data block at 4294967280, not 0 or 1 inside its 4096 blocks")]
    [InlineData("inode number", "ext2 entry /etc/release names inode 257, outside the image's 256")]
    [InlineData("inode table", "ext2 group 0 has its inode table past the end of the image")]
    public void A_damaged_ext2_ramdisk_is_invalid_source_naming_it_and_leaves_nothing(string damage, string message)
    {
        var (url, _) = Ext2Ramdisk(image =>
        {
            // The superblock is at byte 1024, the first group descriptor at 2048.
            var (offset, value) = damage switch
            {
                "first data block" => (1024 + 20, 0xFFFF_FFF0u),
                "inode number" => (image.AsSpan().IndexOf("release"u8) - 8, 257u),
                _ => (2048 + 8, 4090u),
            };
            BitConverter.GetBytes(value).CopyTo(image, offset);
        });
        var result = host.RunAsXenopsd();
        Assert.Equal($"RuntimeError: INVALID_SOURCE\nThe ramdisk {url}images/xen/initrd.img cannot be patched: {message}.\n", result.Stderr);
        Assert.Empty(host.BootFiles());
    }

    public void Dispose() => host.Dispose();
}
