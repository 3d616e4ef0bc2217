using System.Security.Cryptography;
using System.Text;
using Eliloader.Formats.Cpio;

namespace Eliloader.Formats.Tests;

/// <summary>The cpio reader and writer against GNU cpio, and the overlay against unpacking with it.</summary>
public sealed class CpioTests : IDisposable
{
    private readonly string work = Path.Combine(Path.GetTempPath(), "cpio-" + Guid.NewGuid().ToString("N")[..8]);
    private static readonly CpioLimits Limits = new();

    public CpioTests() => Directory.CreateDirectory(work);

    /// <summary>A tree with every kind of member: files, a hard link pair, a symlink, a device node, an empty directory.</summary>
    private string Tree(string name, string flavour)
    {
        var tree = Path.Combine(work, name);
        Shell.Run($"""
            mkdir -p {tree}/bin {tree}/etc {tree}/empty {tree}/dev
            printf '#!/bin/sh\necho {flavour}\n' > {tree}/init; chmod 755 {tree}/init
            head -c 70001 /dev/urandom > {tree}/bin/busybox; chmod 4755 {tree}/bin/busybox
            ln {tree}/bin/busybox {tree}/bin/sh
            ln -s ../bin/busybox {tree}/etc/link
            echo {flavour} > {tree}/etc/release
            mknod {tree}/dev/console c 5 1
            """);
        return tree;
    }

    private string Archive(string tree, string format, string output) =>
        Shell.Run($"cd {tree} && find . | LC_ALL=C sort | cpio -o -H {format} --quiet > {output} && echo {output}").Trim();

    /// <summary>Every member's name, mode, owner, size, device and content hash, as read by our reader.</summary>
    private static List<string> Describe(Stream archive)
    {
        var reader = new InitramfsReader(archive, long.MaxValue, Limits);
        var lines = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            var data = new MemoryStream();
            reader.DataStream.CopyTo(data);
            var content = entry.Type == UnixFileType.SymbolicLink ? "-> " + Encoding.Latin1.GetString(data.ToArray()) : Convert.ToHexString(SHA256.HashData(data.ToArray()))[..16];
            lines.Add($"{CpioNames.Normalize(entry.Name)} {Convert.ToString(entry.Mode, 8)} {entry.Uid}:{entry.Gid} {entry.DataLength} {entry.RdevMajor},{entry.RdevMinor} {content}");
        }
        return lines;
    }

    /// <summary>What GNU cpio lists: type/mode, links aside, owner, size or device, name and symlink target.</summary>
    private static string GnuListing(string archive, string decompress = "cat") =>
        Shell.Run($"{decompress} {archive} | cpio -itv --numeric-uid-gid --quiet | awk '{{ $2 = \"\"; $6 = $7 = $8 = \"\"; print }}'");

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData("newc")]
    [InlineData("crc")]
    [InlineData("odc")]
    [InlineData("bin")]
    public void Reads_what_gnu_cpio_writes(string format)
    {
        var tree = Tree("tree", "vendor");
        using var archive = File.OpenRead(Archive(tree, format, Path.Combine(work, $"a.{format}")));
        var members = Describe(archive);
        var init = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(tree, "init"))))[..16];
        Assert.Contains($"init 100755 0:0 {new FileInfo(Path.Combine(tree, "init")).Length} 0,0 {init}", members);
        Assert.Contains(members, m => m.StartsWith("etc/link 120777 0:0 14 0,0 -> ../bin/busybox", StringComparison.Ordinal));
        Assert.Contains(members, m => m.StartsWith("dev/console 20", StringComparison.Ordinal) && m.Contains(" 0 5,1 "));
        Assert.Contains(members, m => m.StartsWith("empty 40755", StringComparison.Ordinal));
        // Hard links: the data travels with one of the names.
        var busybox = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(tree, "bin/busybox"))))[..16];
        Assert.Contains(members, m => m.StartsWith("bin/", StringComparison.Ordinal) && m.EndsWith(busybox, StringComparison.Ordinal));
        Assert.Equal(Directory.GetFileSystemEntries(tree, "*", SearchOption.AllDirectories).Length + 1, members.Count);
    }

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData("newc")]
    [InlineData("crc")]
    [InlineData("odc")]
    [InlineData("bin")]
    public void What_we_write_gnu_cpio_lists_and_extracts_identically(string format)
    {
        var tree = Tree("tree", "vendor");
        var original = Archive(tree, format, Path.Combine(work, "original"));
        var rewritten = Path.Combine(work, "rewritten.cpio");
        using (var input = File.OpenRead(original))
        using (var output = File.Create(rewritten))
        {
            var reader = new CpioReader(input, Limits);
            var writer = new CpioWriter(output);
            while (reader.GetNextEntry() is { } entry)
                writer.WriteEntry(entry, reader.DataStream);
            writer.Finish();
        }
        Assert.Equal(GnuListing(original), GnuListing(rewritten));
        var extracted = Path.Combine(work, "extracted");
        Shell.Run($"mkdir {extracted} && cd {extracted} && cpio -idm --quiet < {rewritten}");
        AssertSameTree(tree, extracted);
        Assert.Equal(new FileInfo(Path.Combine(tree, "bin/busybox")).Length, new FileInfo(Path.Combine(extracted, "bin/sh")).Length);
    }

    /// <summary>diff cannot compare device nodes: those are compared by their numbers.</summary>
    private static void AssertSameTree(string expected, string actual)
    {
        Shell.Run($"diff -r --no-dereference -x console {expected} {actual}");
        Assert.Equal(Shell.Run($"stat -c '%F %t,%T %a' {expected}/dev/console"), Shell.Run($"stat -c '%F %t,%T %a' {actual}/dev/console"));
    }

    /// <summary>
    /// Lays the overlay tree's archive over the vendor archive in process, and checks the
    /// result unpacks to the tree GNU cpio makes from the vendor archive and then the
    /// overlay; returns where ours was unpacked.
    /// </summary>
    private string PatchAndCompareWithGnuCpio(string vendor, string decompress, string overlayTree)
    {
        var overlay = Archive(overlayTree, "newc", Path.Combine(work, "overlay.cpio"));
        var patched = Path.Combine(work, "patched.cpio");
        using (var input = File.OpenRead(vendor))
        using (var output = File.Create(patched))
            InitramfsOverlay.Rewrite(input, () => File.OpenRead(overlay), output, 64 << 20, Limits);

        var ours = Path.Combine(work, "ours");
        var reference = Path.Combine(work, "reference");
        Shell.Run($"mkdir {ours} {reference} && cd {ours} && cpio -idm --quiet < {patched}");
        Shell.Run($"cd {reference} && {decompress} < {vendor} | cpio -idum --quiet && cpio -idum --quiet < {overlay}");
        AssertSameTree(reference, ours);
        return ours;
    }

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData("gzip -9n", "gzip")]
    [InlineData("xz --check=crc32", "xz")]
    [InlineData("xz --check=crc64", "xz")]
    [InlineData("lzma", "lzma")]
    [InlineData("bzip2", "bzip2")]
    [InlineData("zstd -q", "zstd")]
    public void Overlay_over_a_compressed_vendor_archive_equals_unpacking_both_with_gnu_cpio(string compress, string name)
    {
        var vendorTree = Tree("vendor", "vendor");
        var overlayTree = Path.Combine(work, "overlay");
        Shell.Run($"""
            mkdir -p {overlayTree}/etc {overlayTree}/sbin
            printf '#!/bin/sh\necho patched\n' > {overlayTree}/init; chmod 700 {overlayTree}/init
            echo overlay > {overlayTree}/etc/release
            echo new > {overlayTree}/sbin/xen-cd-helper
            """);
        var vendor = Path.Combine(work, "vendor.cpio." + name);
        Shell.Run($"cd {vendorTree} && find . | LC_ALL=C sort | cpio -o -H newc --quiet | {compress} > {vendor}");
        var ours = PatchAndCompareWithGnuCpio(vendor, $"{compress.Split(' ')[0]} -dc", overlayTree);
        Assert.Equal("#!/bin/sh\necho patched\n", File.ReadAllText(Path.Combine(ours, "init")));
    }

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData("bin/sh")]
    [InlineData("bin/busybox")]
    public void Overlay_replacing_one_name_of_a_vendor_hard_link_equals_gnu_cpio(string replaced)
    {
        // The vendor's bin/busybox and bin/sh are one file, its data on the last link
        // (bin/sh). Replacing either name must leave the other with the vendor's data;
        // the overlay's own hard-link pair must stay one file.
        var vendorTree = Tree("vendor", "vendor");
        var overlayTree = Path.Combine(work, "overlay");
        Shell.Run($"""
            mkdir -p {overlayTree}/bin {overlayTree}/sbin
            echo replacement > {overlayTree}/{replaced}
            echo linked > {overlayTree}/sbin/one; ln {overlayTree}/sbin/one {overlayTree}/sbin/two
            """);
        var vendor = Archive(vendorTree, "newc", Path.Combine(work, "vendor.cpio"));
        var ours = PatchAndCompareWithGnuCpio(vendor, "cat", overlayTree);
        var kept = replaced == "bin/sh" ? "bin/busybox" : "bin/sh";
        Assert.Equal(70001, new FileInfo(Path.Combine(ours, kept)).Length);
        Assert.Equal(Shell.Run($"stat -c %i {ours}/sbin/one"), Shell.Run($"stat -c %i {ours}/sbin/two"));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void An_uncompressed_microcode_segment_then_a_compressed_one_are_read_as_the_kernel_reads_them()
    {
        var early = Path.Combine(work, "early");
        Shell.Run($"mkdir -p {early}/kernel/x86/microcode && echo ucode > {early}/kernel/x86/microcode/GenuineIntel.bin");
        var main = Tree("main", "main");
        var combined = Path.Combine(work, "combined");
        Shell.Run($"""
            (cd {early} && find . | cpio -o -H newc --quiet) > {combined}
            head -c 1000 /dev/zero >> {combined}
            (cd {main} && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -n) >> {combined}
            """);
        using var input = File.OpenRead(combined);
        var names = Describe(input).Select(l => l.Split(' ')[0]).ToList();
        Assert.Equal("kernel/x86/microcode/GenuineIntel.bin", names.First(n => n.EndsWith(".bin", StringComparison.Ordinal)));
        Assert.Contains("init", names);
        Assert.True(names.IndexOf("kernel/x86/microcode/GenuineIntel.bin") < names.IndexOf("init"));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void A_crc_archive_with_a_changed_byte_fails_its_checksum()
    {
        var tree = Tree("tree", "vendor");
        var bytes = File.ReadAllBytes(Archive(tree, "crc", Path.Combine(work, "a.crc")));
        var at = bytes.AsSpan().IndexOf("echo vendor"u8);
        bytes[at] ^= 0x20;
        var error = Assert.Throws<InvalidDataException>(() => Describe(new MemoryStream(bytes)));
        Assert.Contains("'init' fails its checksum", error.Message);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void A_truncated_archive_names_the_member()
    {
        var tree = Tree("tree", "vendor");
        var bytes = File.ReadAllBytes(Archive(tree, "newc", Path.Combine(work, "a")));
        var at = bytes.AsSpan().IndexOf("bin/sh\0"u8);
        var error = Assert.Throws<InvalidDataException>(() => Describe(new MemoryStream(bytes[..(at + 2000)])));
        Assert.Contains("ends inside the data of 'bin/sh'", error.Message);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Decompressing_past_the_limit_stops_there()
    {
        var bomb = Path.Combine(work, "bomb.gz");
        Shell.Run($"head -c 50000000 /dev/zero | gzip -1 > {bomb}");
        using var input = File.OpenRead(bomb);
        var reader = new InitramfsReader(input, 1 << 20, Limits);
        Assert.Contains("larger than 1048576 bytes", Assert.Throws<LimitExceededException>(() => reader.GetNextEntry()).Message);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Too_many_members_are_refused()
    {
        var tree = Tree("tree", "vendor");
        using var input = File.OpenRead(Archive(tree, "newc", Path.Combine(work, "a")));
        var reader = new InitramfsReader(input, long.MaxValue, new CpioLimits(MaxEntries: 3));
        Assert.Contains("more than 3 members", Assert.Throws<InvalidDataException>(() => { while (reader.GetNextEntry() is not null) { } }).Message);
    }

    [Fact]
    public void Garbage_instead_of_an_archive_is_refused()
    {
        var reader = new InitramfsReader(new MemoryStream("#!/bin/sh not an archive"u8.ToArray()), long.MaxValue, Limits);
        Assert.Contains("neither cpio nor a known compression", Assert.Throws<InvalidDataException>(() => reader.GetNextEntry()).Message);
    }

    [Theory]
    [InlineData("/etc/passwd", "absolute name")]
    [InlineData("a/../../etc", "'..' path component")]
    [InlineData("a//b", "empty path component")]
    [InlineData("a/./b", "'.' path component")]
    public void Hostile_names_are_refused(string name, string message) =>
        Assert.Contains(message, Assert.Throws<InvalidDataException>(() => CpioNames.Normalize(name)).Message);

    [Theory]
    [InlineData("./bin/sh", "bin/sh")]
    [InlineData("bin/sh", "bin/sh")]
    [InlineData(".", ".")]
    [InlineData("./", ".")]
    public void Names_are_compared_as_the_kernel_unpacks_them(string name, string normal) =>
        Assert.Equal(normal, CpioNames.Normalize(name));

    [Trait("Category", "Slow")]
    [Fact]
    public void The_real_debian_12_initrd_survives_a_round_trip_member_for_member()
    {
        var initrd = Path.Combine(Shell.Root, ".cache/mirrors/debian12/dists/bookworm/main/installer-amd64/current/images/netboot/xen/initrd.gz");
        var rewritten = Path.Combine(work, "debian12.cpio");
        using (var input = File.OpenRead(initrd))
        using (var output = File.Create(rewritten))
        {
            var reader = new InitramfsReader(input, 256L << 20, Limits);
            var writer = new CpioWriter(output);
            var count = 0;
            while (reader.GetNextEntry() is { } entry)
            {
                writer.WriteEntry(entry, reader.DataStream);
                count++;
            }
            writer.Finish();
            Assert.True(count > 2000, $"{count} members");
        }
        Assert.Equal(GnuListing(initrd, "zcat"), GnuListing(rewritten));
        var sums = "find . -type f -exec sha256sum {} + | LC_ALL=C sort";
        var theirs = Path.Combine(work, "theirs");
        var ours = Path.Combine(work, "ours");
        Assert.Equal(
            Shell.Run($"mkdir {theirs} && cd {theirs} && zcat {initrd} | cpio -idm --quiet && {sums}"),
            Shell.Run($"mkdir {ours} && cd {ours} && cpio -idm --quiet < {rewritten} && {sums}"));
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
