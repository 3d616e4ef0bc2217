using System.Text;
using Eliloader.Formats.Iso9660;

namespace Eliloader.Formats.Tests;

/// <summary>The in-process ISO 9660 reader against images xorriso writes, and against damaged ones.</summary>
public sealed class IsoImageTests : IDisposable
{
    private readonly IsoBuilder builder = new();

    private static string Read(IsoImage iso, string path)
    {
        var file = iso.Find(path) ?? throw new FileNotFoundException(path);
        using var reader = new StreamReader(iso.OpenRead(file));
        return reader.ReadToEnd();
    }

    private IsoBuilder DebianLikeTree() => builder
        .File("install.amd/xen/vmlinuz", "debian xen kernel")
        .File("install.amd/xen/initrd.gz", "debian xen initrd")
        .File("isolinux/vmlinuz", "isolinux kernel")
        .File("isolinux/initrd.img", "isolinux initrd")
        .File("images/pxeboot/vmlinuz", "pxeboot kernel");

    [Fact]
    public void Rock_ridge_names_are_exact_and_symlinks_inside_the_image_are_followed()
    {
        DebianLikeTree().Symlink("boot", "isolinux").Symlink("loop", "loop").Symlink("escape", "/etc/passwd");
        using var stream = File.OpenRead(builder.Build(rockRidge: true, joliet: false));
        var iso = IsoImage.Open(stream);
        Assert.Equal("Rock Ridge", iso.NamingScheme);
        Assert.Equal("debian xen kernel", Read(iso, "install.amd/xen/vmlinuz"));
        Assert.Equal("isolinux initrd", Read(iso, "isolinux/initrd.img"));
        Assert.Equal("isolinux kernel", Read(iso, "boot/vmlinuz"));
        Assert.Equal(15, iso.Find("isolinux/vmlinuz")!.Length);
        Assert.Null(iso.Find("ISOLINUX/VMLINUZ"));
        Assert.Null(iso.Find("isolinux/missing"));
        Assert.Null(iso.Find("isolinux"));
        Assert.Null(iso.Find("escape"));
        Assert.Null(iso.Find("../isolinux/vmlinuz"));
        Assert.Contains("symlinks", Assert.Throws<InvalidDataException>(() => iso.Find("loop/x")).Message);
    }

    [Fact]
    public void Joliet_names_are_read_when_there_is_no_rock_ridge()
    {
        DebianLikeTree();
        using var stream = File.OpenRead(builder.Build(rockRidge: false, joliet: true));
        var iso = IsoImage.Open(stream);
        Assert.Equal("Joliet", iso.NamingScheme);
        Assert.Equal("debian xen initrd", Read(iso, "install.amd/xen/initrd.gz"));
        Assert.Equal("pxeboot kernel", Read(iso, "images/pxeboot/vmlinuz"));
    }

    [Fact]
    public void Plain_names_match_without_version_and_case_as_mount_showed_them()
    {
        builder.File("isolinux/vmlinuz", "k").File("isolinux/initrd.img", "i").File("images/xen/vmlinuz", "xk");
        using var stream = File.OpenRead(builder.Build(rockRidge: false, joliet: false));
        var iso = IsoImage.Open(stream);
        Assert.Equal("ISO 9660", iso.NamingScheme);
        Assert.Equal("k", Read(iso, "isolinux/vmlinuz"));
        Assert.Equal("i", Read(iso, "isolinux/initrd.img"));
        Assert.Equal("xk", Read(iso, "images/xen/vmlinuz"));
    }

    [Fact]
    public void A_multi_extent_file_is_read_as_one()
    {
        builder.File("aaaa", "first part|").File("aaab", "second part");
        var path = builder.Build(rockRidge: false, joliet: false);
        var image = File.ReadAllBytes(path);
        var first = IndexOf(image, "AAAA.;1");
        var second = IndexOf(image, "AAAB.;1");
        image[first - 33 + 25] |= 0x80;
        Encoding.ASCII.GetBytes("AAAA.;1").CopyTo(image, second);
        var iso = IsoImage.Open(new MemoryStream(image));
        Assert.Equal("first part|second part", Read(iso, "aaaa"));
        Assert.Null(iso.Find("aaab"));
    }

    [Theory]
    [InlineData(2, "extends past the end of the image")]
    [InlineData(10, "extends past the end of the image")]
    public void A_record_pointing_past_the_end_is_refused(int field, string message)
    {
        builder.File("vmlinuz", "k");
        var image = File.ReadAllBytes(builder.Build(rockRidge: false, joliet: false));
        var record = IndexOf(image, "VMLINUZ.;1") - 33;
        BitConverter.GetBytes(0x7FFFFFF0u).CopyTo(image, record + field);
        var iso = IsoImage.Open(new MemoryStream(image));
        Assert.Contains(message, Assert.Throws<InvalidDataException>(() => iso.Find("vmlinuz")).Message);
    }

    [Fact]
    public void A_directory_of_10000_entries_is_read_and_one_of_10001_is_refused()
    {
        static byte[] Many(int count)
        {
            var iso = new CraftedIso();
            for (var i = 0; i < count; i++)
                iso.File($"many/f{i}", "");
            return iso.Build();
        }
        Assert.Equal(0, IsoImage.Open(new MemoryStream(Many(10_000))).Find("many/f9999")!.Length);
        Assert.Equal("directory '/many' has more than 10000 entries", Refusal(Many(10_001), "many/f1"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40_000)]
    public void Something_else_is_not_an_iso_image(int size)
    {
        var bytes = new byte[size];
        new Random(7).NextBytes(bytes);
        Assert.Contains("ISO 9660", Assert.ThrowsAny<Exception>(() => IsoImage.Open(new MemoryStream(bytes))).Message);
    }

    [Fact]
    public void A_bad_block_size_is_refused()
    {
        builder.File("vmlinuz", "k");
        var image = File.ReadAllBytes(builder.Build(rockRidge: false, joliet: false));
        BitConverter.GetBytes((ushort)3000).CopyTo(image, 16 * 2048 + 128);
        Assert.Contains("logical block size 3000", Assert.Throws<InvalidDataException>(() => IsoImage.Open(new MemoryStream(image))).Message);
    }

    /// <summary>An image in memory that counts the bytes read from it (a derived MemoryStream reads spans through this overload).</summary>
    private sealed class CountingImage(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }
    }

    private static string Read(byte[] image, string path) => Read(IsoImage.Open(new MemoryStream(image)), path);

    private static string Refusal(byte[] image, string path) =>
        Assert.Throws<InvalidDataException>(() => IsoImage.Open(new MemoryStream(image)).Find(path)).Message;

    [Fact]
    public void A_crafted_image_reads_as_xorrisos_do()
    {
        var image = new CraftedIso().File("isolinux/vmlinuz", "kernel").Symlink("boot", "isolinux").Symlink("up", "../boot")
            .Symlink("long", string.Concat(Enumerable.Repeat("./", 1500)) + "isolinux/vmlinuz").Build();
        Assert.Equal("kernel", Read(image, "isolinux/vmlinuz"));
        Assert.Equal("kernel", Read(image, "boot/vmlinuz"));
        Assert.Equal("kernel", Read(image, "long"));
        Assert.Null(IsoImage.Open(new MemoryStream(image)).Find("up/vmlinuz"));
        Assert.Equal("kernel", Read(new CraftedIso(rockRidge: false).File("VMLINUZ.;1", "kernel").Build(), "vmlinuz"));
    }

    [Fact]
    public void A_file_of_64_extents_is_read_whole_and_one_of_65_is_refused()
    {
        var data = new byte[64 * 3000];
        new Random(3).NextBytes(data);
        var iso = IsoImage.Open(new MemoryStream(new CraftedIso().File("install/initrd.gz", data, extents: 64).Build()));
        var file = iso.Find("install/initrd.gz")!;
        Assert.Equal(64, file.Extents.Count);
        var read = new MemoryStream();
        iso.OpenRead(file).CopyTo(read);
        Assert.Equal(data, read.ToArray());
        Assert.Equal("file 'initrd.gz' in directory '/install' has more than 64 extents",
            Refusal(new CraftedIso().File("install/initrd.gz", data, extents: 65).Build(), "install/initrd.gz"));
    }

    [Fact]
    public void A_flood_of_multi_extent_records_is_refused_at_once()
    {
        // 100,000 records of one name, just inside the directory bound: gathering them used to copy the list per record.
        var image = new CraftedIso().File("f", [], extents: 100_000).Build();
        var cpu = ThreadCpu.Measure(() => Assert.Equal("file 'f' in directory '/' has more than 64 extents", Refusal(image, "f")));
        Assert.True(cpu < TimeSpan.FromSeconds(1), $"{cpu.TotalSeconds:F2} s of CPU");
    }

    [Fact]
    public void A_directory_of_4_MiB_is_read_and_one_byte_more_is_refused()
    {
        Assert.Equal("k", Read(new CraftedIso().Directory("", paddedTo: 4 << 20).File("vmlinuz", "k").Build(), "vmlinuz"));
        Assert.Equal("directory '/' is 4194305 bytes, more than 4194304",
            Refusal(new CraftedIso().Directory("", paddedTo: (4 << 20) + 1).File("vmlinuz", "k").Build(), "vmlinuz"));
        Assert.Equal("directory '/install.amd' is 16777216 bytes, more than 4194304",
            Refusal(new CraftedIso().Directory("install.amd", paddedTo: 16 << 20).File("install.amd/vmlinuz", "k").Build(), "install.amd/vmlinuz"));
    }

    [Fact]
    public void One_lookup_reads_at_most_8_MiB_of_directories()
    {
        var image = new CraftedIso().Directory("", paddedTo: 4 << 20).Directory("a", paddedTo: 4 << 20).Directory("a/b", paddedTo: 4 << 20)
            .File("a/f", "in a").File("a/b/f", "in b").Build();
        Assert.Equal("in a", Read(image, "a/f"));
        Assert.Equal("looking up 'a/b/f' reads more than 8388608 bytes of directories", Refusal(image, "a/b/f"));
    }

    [Fact]
    public void Each_directory_is_read_once_however_often_a_path_passes_it()
    {
        var image = new CountingImage(new CraftedIso().Directory("", paddedTo: 1 << 20).Directory("x").File("install.amd/vmlinuz", "k")
            .Symlink("k", string.Concat(Enumerable.Repeat("x/../", 400)) + "install.amd/vmlinuz").Build());
        var iso = IsoImage.Open(image);
        var opened = image.BytesRead;
        Assert.Equal(1, iso.Find("k")!.Length);
        Assert.InRange(image.BytesRead - opened, 1 << 20, (1 << 20) + 20_000);
        var before = image.BytesRead;
        Assert.NotNull(iso.Find("install.amd/vmlinuz"));
        Assert.Equal(before, image.BytesRead);
    }

    /// <summary>The image, with a root at the directory bound: each hop of the symlink used to re-read the root.</summary>
    [Fact]
    public void Symlink_amplification_is_refused_by_its_steps_at_once()
    {
        var target = string.Concat(Enumerable.Repeat("x/../x/../", 400)) + "x/../install.amd";
        var image = new CraftedIso().Directory("", paddedTo: 4 << 20).Directory("x").Symlink("install.amd", target).Build();
        var cpu = ThreadCpu.Measure(() =>
            Assert.Equal("path 'install.amd/vmlinuz' takes more than 4096 steps through directories and symlinks", Refusal(image, "install.amd/vmlinuz")));
        Assert.True(cpu < TimeSpan.FromSeconds(1), $"{cpu.TotalSeconds:F2} s of CPU");
    }

    [Fact]
    public void A_path_of_4096_steps_is_followed_and_one_more_is_refused()
    {
        // Steps: the path's one component, each link's target components, the final name.
        static byte[] Chain(int last) => new CraftedIso().File("f", "end")
            .Symlink("l1", string.Concat(Enumerable.Repeat("./", 1400)) + "l2")
            .Symlink("l2", string.Concat(Enumerable.Repeat("./", 1400)) + "l3")
            .Symlink("l3", string.Concat(Enumerable.Repeat("./", last)) + "f").Build();
        Assert.Equal("end", Read(Chain(1292), "l1"));
        Assert.Equal("path 'l1' takes more than 4096 steps through directories and symlinks", Refusal(Chain(1293), "l1"));
    }

    [Fact]
    public void A_chain_of_32_symlinks_is_followed_and_one_of_33_is_refused()
    {
        static byte[] Chain(int links)
        {
            var iso = new CraftedIso().File("f", "end");
            for (var i = 0; i < links; i++)
                iso.Symlink($"l{i}", i + 1 < links ? $"l{i + 1}" : "f");
            return iso.Build();
        }
        Assert.Equal("end", Read(Chain(32), "l0"));
        Assert.Equal("path 'l0' goes through more than 32 symlinks", Refusal(Chain(33), "l0"));
    }

    private static byte[] Field(string signature, params byte[] data) => [.. Encoding.ASCII.GetBytes(signature), (byte)(4 + data.Length), 1, .. data];

    private static byte[] ContinuationField(uint block, uint offset, uint length)
    {
        var data = new byte[24];
        BitConverter.GetBytes(block).CopyTo(data, 0);
        BitConverter.GetBytes(offset).CopyTo(data, 8);
        BitConverter.GetBytes(length).CopyTo(data, 16);
        return Field("CE", data);
    }

    [Fact]
    public void Rock_ridge_names_continue_across_fields_and_skip_dot_entries()
    {
        // NM flag 1: continued in the next NM; flags 2 and 4 (current, parent) name nothing.
        var iso = IsoImage.Open(new MemoryStream(new CraftedIso()
            .RawEntry("a", [.. Field("NM", [1, .. "vmli"u8]), .. Field("NM", [0, .. "nuz"u8])])
            .RawEntry("b", [.. Field("NM", [2]), .. Field("NM", [0, .. "initrd"u8])])
            .RawEntry("c", [.. Field("NM", [0, .. "after-stop"u8]), .. Field("ST"), .. Field("NM", [0, .. "ignored"u8])])
            .Build()));
        Assert.NotNull(iso.Find("vmlinuz"));
        Assert.NotNull(iso.Find("initrd"));
        Assert.NotNull(iso.Find("after-stop"));
        Assert.Null(iso.Find("after-stopignored"));
    }

    [Fact]
    public void A_relocated_entry_is_not_listed_and_a_plain_name_serves_a_bare_symlink()
    {
        var iso = IsoImage.Open(new MemoryStream(new CraftedIso().File("target", "t")
            .RawEntry("moved", [.. Field("NM", [0, .. "moved"u8]), .. Field("RE")])
            .RawEntry("LINK", Field("SL", [0, 0, 6, .. "target"u8]))
            .Build()));
        Assert.Null(iso.Find("moved"));
        Assert.Equal(1, iso.Find("LINK")!.Length);
    }

    [Fact]
    public void Symlink_components_for_the_root_the_parent_and_a_split_name_are_joined()
    {
        // "x/" then ".." then "tar" continued as "get": x/../target.
        var iso = IsoImage.Open(new MemoryStream(new CraftedIso().File("target", "t").Directory("x")
            .RawEntry("l", [.. Field("NM", [0, .. "l"u8]), .. Field("SL", [0, 0, 1, .. "x"u8, 4, 0, 1, 3, .. "tar"u8]), .. Field("SL", [0, 0, 3, .. "get"u8])])
            .RawEntry("abs", [.. Field("NM", [0, .. "abs"u8]), .. Field("SL", [0, 8, 0, 0, 6, .. "target"u8])])
            .RawEntry("dot", [.. Field("NM", [0, .. "dot"u8]), .. Field("SL", [0, 2, 0, 0, 6, .. "target"u8])])
            .Build()));
        Assert.Equal(1, iso.Find("l")!.Length);
        Assert.Null(iso.Find("abs"));
        Assert.Equal(1, iso.Find("dot")!.Length);
    }

    /// <summary>NM fields of 240 characters each, continued: 18 of them pass the 4096 bound.</summary>
    private static byte[] Names(int count) => [.. Enumerable.Range(0, count).SelectMany(_ => Field("NM", [1, .. Enumerable.Repeat((byte)'n', 240)]))];

    [Theory]
    [InlineData("truncated component", "directory '/': truncated Rock Ridge symlink component")]
    [InlineData("continuation too long", "a Rock Ridge continuation area does not fit its block")]
    [InlineData("continuation past its block", "a Rock Ridge continuation area does not fit its block")]
    [InlineData("continuation loop", "directory '/': more than 16 Rock Ridge continuation areas")]
    [InlineData("long name", "directory '/': Rock Ridge name or link longer than 4096 characters")]
    public void Malformed_rock_ridge_fields_are_refused(string damage, string message)
    {
        // The root directory is block 18 and the first file's data block 19.
        var iso = damage switch
        {
            "truncated component" => new CraftedIso().RawEntry("l", Field("SL", [0, 0, 9, .. "abc"u8])),
            "continuation too long" => new CraftedIso().RawEntry("l", ContinuationField(19, 0, 2049)),
            "continuation past its block" => new CraftedIso().RawEntry("l", ContinuationField(19, 2000, 49)),
            "continuation loop" => new CraftedIso().File("area", ContinuationField(19, 0, 28)).RawEntry("l", ContinuationField(19, 0, 28)),
            _ => new CraftedIso().File("a1", [.. Names(8), .. ContinuationField(20, 0, 8 * 245 + 28)])
                .File("a2", [.. Names(8), .. ContinuationField(21, 0, 2 * 245)]).File("a3", Names(2)).RawEntry("l", ContinuationField(19, 0, 8 * 245 + 28)),
        };
        Assert.Equal(message, Refusal(iso.Build(), "x"));
    }

    private static int IndexOf(byte[] haystack, string needle)
    {
        var at = haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle));
        Assert.True(at > 0, needle + " not found");
        return at;
    }

    public void Dispose() => builder.Dispose();
}
