using System.Text;
using Eliloader.Formats.TreeInfo;

namespace Eliloader.Formats.Tests;

/// <summary>The .treeinfo reader: what a Red Hat tree publishes, and what a hostile mirror may send instead.</summary>
public sealed class TreeInfoTests
{
    private static TreeInfoFile Read(string text) => TreeInfoFile.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    private static string Refusal(string text) => Assert.Throws<InvalidDataException>(() => Read(text)).Message;

    /// <summary>The shape of CentOS 7's .treeinfo, comments and blank lines included.</summary>
    private const string CentOs7 = """
        [general]
        name = CentOS-7
        family = CentOS
        arch = x86_64

        # images for the Xen PV guest
        ; an ini comment too
        [images-xen]
        kernel = images/pxeboot/vmlinuz
        initrd = images/pxeboot/initrd.img

        [checksums]
        images/pxeboot/vmlinuz = sha256:0123abcd
          images/pxeboot/initrd.img   =   sha256:4567ef01  
        """;

    [Fact]
    public void Reads_sections_keys_and_values_trimmed()
    {
        var treeinfo = Read(CentOs7);
        Assert.Equal("images/pxeboot/vmlinuz", treeinfo.Get("images-xen", "kernel"));
        Assert.Equal("CentOS-7", treeinfo.Get("general", "name"));
        Assert.Equal("sha256:4567ef01", treeinfo.Get("checksums", "images/pxeboot/initrd.img"));
        Assert.Equal(
            ["images/pxeboot/vmlinuz=sha256:0123abcd", "images/pxeboot/initrd.img=sha256:4567ef01"],
            treeinfo.Section("checksums").Select(kv => $"{kv.Key}={kv.Value}"));
    }

    [Fact]
    public void An_absent_section_or_key_is_null_or_empty()
    {
        var treeinfo = Read(CentOs7);
        Assert.Null(treeinfo.Get("images-xen", "boot.iso"));
        Assert.Null(treeinfo.Get("images-x86_64", "kernel"));
        Assert.Null(treeinfo.Get("Images-Xen", "kernel"));
        Assert.Empty(treeinfo.Section("images-x86_64"));
        Assert.Empty(Read("").Section("general"));
    }

    [Fact]
    public void A_section_named_twice_is_one_and_a_later_key_wins()
    {
        var treeinfo = Read("[a]\nk = 1\nx = first\n[b]\nk = 2\n[ a ]\nx = second\n");
        Assert.Equal(["k=1", "x=second"], treeinfo.Section("a").Select(kv => $"{kv.Key}={kv.Value}"));
        Assert.Equal("2", treeinfo.Get("b", "k"));
    }

    [Fact]
    public void A_value_may_hold_an_equals_sign_or_be_empty()
    {
        var treeinfo = Read("[a]\nk = x=y\nempty =\n");
        Assert.Equal("x=y", treeinfo.Get("a", "k"));
        Assert.Equal("", treeinfo.Get("a", "empty"));
    }

    [Theory]
    [InlineData("[]", ".treeinfo line 1 is not a section header: '[]'")]
    [InlineData("[general", ".treeinfo line 1 is not a section header: '[general'")]
    [InlineData("[a]\nnovalue", ".treeinfo line 2 is not 'key = value' inside a section: 'novalue'")]
    [InlineData("[a]\n= value", ".treeinfo line 2 is not 'key = value' inside a section: '= value'")]
    [InlineData("# comment\n\nkey = value", ".treeinfo line 3 is not 'key = value' inside a section: 'key = value'")]
    public void A_malformed_line_is_refused_naming_it(string text, string message) =>
        Assert.Equal(message, Refusal(text));

    [Fact]
    public void A_one_character_section_name_is_a_section()
    {
        Assert.Equal("v", Read("[x]\nk = v").Get("x", "k"));
    }

    [Fact]
    public void A_line_of_4096_characters_is_read_and_one_of_4097_is_refused()
    {
        var key = new string('k', 4096 - "k = v".Length + 1);
        Assert.Equal("v", Read($"[a]\n{key} = v").Get("a", key));
        Assert.Equal(".treeinfo line 2 is longer than 4096 characters", Refusal($"[a]\n{key}k = v"));
    }

    [Fact]
    public void A_file_of_1_MiB_is_read_and_one_byte_more_is_refused()
    {
        var header = "[a]\nk = v\n";
        var padding = new string('#', 4000) + "\n";
        var body = new StringBuilder(header);
        while (body.Length + padding.Length <= TreeInfoFile.MaxBytes)
            body.Append(padding);
        body.Append(new string('#', TreeInfoFile.MaxBytes - body.Length));
        Assert.Equal(TreeInfoFile.MaxBytes, body.Length);
        Assert.Equal("v", Read(body.ToString()).Get("a", "k"));
        var error = Assert.Throws<LimitExceededException>(() => Read(body + "#"));
        Assert.Equal("input is larger than 1048576 bytes", error.Message);
    }
}
