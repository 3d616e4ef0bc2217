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
    public void A_directory_with_too_many_entries_is_refused()
    {
        var many = Path.Combine(builder.Source, "many");
        Directory.CreateDirectory(many);
        for (var i = 0; i < 10_001; i++)
            File.WriteAllText(Path.Combine(many, $"f{i}"), "");
        using var stream = File.OpenRead(builder.Build(rockRidge: true, joliet: false));
        var iso = IsoImage.Open(stream);
        Assert.Contains("more than 10000 entries", Assert.Throws<InvalidDataException>(() => iso.Find("many/f1")).Message);
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

    private static int IndexOf(byte[] haystack, string needle)
    {
        var at = haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle));
        Assert.True(at > 0, needle + " not found");
        return at;
    }

    public void Dispose() => builder.Dispose();
}
