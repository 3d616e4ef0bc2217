using Eliloader.Formats.Ext2;

namespace Eliloader.Formats.Tests;

/// <summary>The ext2 reader and builder against images mke2fs makes, checked with e2fsck and debugfs.</summary>
[Trait("Category", "Slow")]
public sealed class Ext2Tests : IDisposable
{
    private readonly string work = Path.Combine(Path.GetTempPath(), "ext2-" + Guid.NewGuid().ToString("N")[..8]);

    public Ext2Tests() => Directory.CreateDirectory(work);

    /// <summary>A RHEL 4 style installer ramdisk: mke2fs with 1 KiB blocks and 128-byte inodes, populated from a tree.</summary>
    private string VendorImage(int blocks = 8192)
    {
        var tree = Path.Combine(work, "vendor");
        var image = Path.Combine(work, "vendor.img");
        Shell.Run($"""
            mkdir -p {tree}/sbin {tree}/etc {tree}/dev {tree}/modules
            printf '#!/bin/sh\necho vendor\n' > {tree}/init; chmod 755 {tree}/init
            head -c 300000 /dev/urandom > {tree}/sbin/loader; chmod 755 {tree}/sbin/loader
            ln {tree}/sbin/loader {tree}/sbin/init
            ln -s loader {tree}/sbin/fast-link
            ln -s /$(printf 'x%.0s' $(seq 70)) {tree}/sbin/slow-link
            echo vendor > {tree}/etc/release
            mknod {tree}/dev/console c 5 1
            mknod {tree}/dev/big b 259 300
            for i in $(seq 60); do echo $i > {tree}/modules/module-with-a-long-name-$i.ko; done
            mke2fs -q -F -t ext2 -b 1024 -I 128 -N 512 -O ^resize_inode,^dir_index -d {tree} {image} {blocks}
            """);
        return image;
    }

    private string Overlay()
    {
        var tree = Path.Combine(work, "overlay");
        var overlay = Path.Combine(work, "overlay.cpio");
        Shell.Run($"""
            mkdir -p {tree}/etc {tree}/usr/lib/xen
            printf '#!/bin/sh\necho patched\n' > {tree}/init; chmod 700 {tree}/init
            echo overlay > {tree}/etc/release
            echo helper > {tree}/usr/lib/xen/cd-helper
            cd {tree} && find . | LC_ALL=C sort | cpio -o -H newc --quiet > {overlay}
            """);
        return overlay;
    }

    private static string Debugfs(string image, string command) => Shell.Run($"debugfs -R '{command}' {image} 2>/dev/null");

    [Fact]
    public void Reads_what_mke2fs_writes()
    {
        using var image = File.OpenRead(VendorImage());
        var root = Ext2Reader.Open(image).ReadTree();
        Assert.Contains("lost+found", root.Children.Keys);
        var init = root.Children["init"];
        Assert.Equal(0x81EDu, init.Mode);
        using (var data = new StreamReader(init.Data!()))
            Assert.Equal("#!/bin/sh\necho vendor\n", data.ReadToEnd());
        var sbin = root.Children["sbin"];
        Assert.Same(sbin.Children["loader"], sbin.Children["init"]);
        var loader = new MemoryStream();
        sbin.Children["loader"].Data!().CopyTo(loader);
        Assert.Equal(File.ReadAllBytes(Path.Combine(work, "vendor/sbin/loader")), loader.ToArray());
        using (var link = new StreamReader(sbin.Children["fast-link"].Data!()))
            Assert.Equal("loader", link.ReadToEnd());
        using (var link = new StreamReader(sbin.Children["slow-link"].Data!()))
            Assert.Equal(71, link.ReadToEnd().Length);
        Assert.Equal((5u, 1u), (root.Children["dev"].Children["console"].RdevMajor, root.Children["dev"].Children["console"].RdevMinor));
        Assert.Equal((259u, 300u), (root.Children["dev"].Children["big"].RdevMajor, root.Children["dev"].Children["big"].RdevMinor));
        Assert.Equal(60, root.Children["modules"].Children.Count);
    }

    [Fact]
    public void The_rebuilt_image_passes_e2fsck_and_holds_vendor_and_overlay()
    {
        var vendor = VendorImage();
        var overlay = Overlay();
        var rebuilt = Path.Combine(work, "rebuilt.img");
        using (var input = File.OpenRead(vendor))
        using (var output = File.Create(rebuilt))
            Ext2Overlay.Rewrite(input, () => File.OpenRead(overlay), output, new Cpio.CpioLimits(), 1_700_000_000);

        Assert.Equal(new FileInfo(vendor).Length, new FileInfo(rebuilt).Length);
        var fsck = Shell.Run($"e2fsck -fn {rebuilt} 2>&1 && echo CLEAN || echo DIRTY");
        Assert.True(fsck.Contains("CLEAN"), fsck);
        var features = Shell.Run($"dumpe2fs -h {rebuilt} 2>/dev/null");
        Assert.Matches(@"Filesystem features:\s+filetype sparse_super\n", features);
        Assert.Equal(
            Shell.Run($"dumpe2fs -h {vendor} 2>/dev/null | grep -E '^(Block count|Inode count|Block size|Inode size|Blocks per group|Inodes per group):'"),
            Shell.Run($"dumpe2fs -h {rebuilt} 2>/dev/null | grep -E '^(Block count|Inode count|Block size|Inode size|Blocks per group|Inodes per group):'"));

        Assert.Equal("#!/bin/sh\necho patched\n", Debugfs(rebuilt, "cat /init"));
        Assert.Equal("overlay\n", Debugfs(rebuilt, "cat /etc/release"));
        Assert.Equal("helper\n", Debugfs(rebuilt, "cat /usr/lib/xen/cd-helper"));
        var extracted = Path.Combine(work, "loader");
        Debugfs(rebuilt, $"dump /sbin/loader {extracted}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(work, "vendor/sbin/loader")), File.ReadAllBytes(extracted));
        Assert.Contains("Links: 2", Debugfs(rebuilt, "stat /sbin/init"));
        Assert.Contains("Fast link dest: \"loader\"", Debugfs(rebuilt, "stat /sbin/fast-link"));
        Assert.Contains("Device major/minor number: 259:300", Debugfs(rebuilt, "stat /dev/big"));
        Assert.Contains("module-with-a-long-name-60.ko", Debugfs(rebuilt, "ls /modules"));
    }

    [Fact]
    public void A_tree_that_does_not_fit_is_refused()
    {
        var vendor = VendorImage(blocks: 1024);
        var big = Path.Combine(work, "big");
        var overlay = Path.Combine(work, "big.cpio");
        Shell.Run($"mkdir -p {big} && head -c 2000000 /dev/urandom > {big}/huge && cd {big} && find . | cpio -o -H newc --quiet > {overlay}");
        using var input = File.OpenRead(vendor);
        using var output = File.Create(Path.Combine(work, "out.img"));
        var error = Assert.Throws<InvalidDataException>(() => Ext2Overlay.Rewrite(input, () => File.OpenRead(overlay), output, new Cpio.CpioLimits(), 0));
        Assert.Contains("does not fit in the image's 1024 blocks", error.Message);
    }

    [Fact]
    public void Damaged_images_are_refused_with_what_is_wrong()
    {
        var bytes = File.ReadAllBytes(VendorImage());
        var noMagic = bytes.ToArray();
        noMagic[1024 + 56] = 0;
        Assert.Contains("no superblock magic", Assert.Throws<InvalidDataException>(() => Ext2Reader.Open(new MemoryStream(noMagic))).Message);
        var truncated = bytes[..(bytes.Length / 4)];
        Assert.Contains("claims 8192 blocks", Assert.Throws<InvalidDataException>(() => Ext2Reader.Open(new MemoryStream(truncated))).Message);
    }

    /// <summary>The vendor image with a little-endian 32-bit field set: the superblock is at 1024, the first group descriptor at 2048.</summary>
    private byte[] Damaged(int offset, uint value)
    {
        var bytes = (vendorBytes ??= File.ReadAllBytes(VendorImage())).ToArray();
        BitConverter.GetBytes(value).CopyTo(bytes, offset);
        return bytes;
    }

    private byte[]? vendorBytes;

    private static string Refusal(byte[] image) =>
        Assert.Throws<InvalidDataException>(() => Ext2Reader.Open(new MemoryStream(image)).ReadTree()).Message;

    [Fact]
    public void A_first_data_block_far_past_the_image_is_refused()
    {
        Assert.Equal("ext2 superblock puts the first data block at 4294967280, not 0 or 1 inside its 8192 blocks", Refusal(Damaged(1024 + 20, 0xFFFFFFF0)));
        Assert.Equal("ext2 superblock puts the first data block at 2, not 0 or 1 inside its 8192 blocks", Refusal(Damaged(1024 + 20, 2)));
    }

    [Fact]
    public void Inodes_past_the_image_are_refused()
    {
        Assert.Equal("ext2 superblock claims 513 inodes, more than its 1 groups of 512 hold", Refusal(Damaged(1024, 513)));
        Assert.Equal("ext2 group 0 has its inode table past the end of the image", Refusal(Damaged(2048 + 8, 8192 - 63)));
        // The last block the inode table (64 blocks of 512 128-byte inodes) may start at: read, and found empty.
        Assert.Equal(0u, Ext2Reader.Open(new MemoryStream(Damaged(2048 + 8, 8192 - 64))).ReadTree().Mode);
    }

    [Fact]
    public void A_directory_entry_naming_an_inode_past_the_count_is_refused()
    {
        var bytes = File.ReadAllBytes(VendorImage());
        var release = bytes.AsSpan().IndexOf("release"u8);
        BitConverter.GetBytes(513u).CopyTo(bytes, release - 8);
        Assert.Equal("ext2 entry /etc/release names inode 513, outside the image's 512", Refusal(bytes));
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
