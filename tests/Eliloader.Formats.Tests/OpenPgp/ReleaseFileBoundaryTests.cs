using Eliloader.Formats.Debian;

namespace Eliloader.Formats.Tests.OpenPgp;

/// <summary>
/// The Release reader at its edges: which lines continue a field, which blank lines end
/// the paragraph, where a digest list stops, the exact digest lengths and sizes, and the
/// 80 characters a message quotes of a line.
/// </summary>
public sealed class ReleaseFileBoundaryTests
{
    private static readonly string Sha256 = new('c', 64);
    private static readonly string Md5 = new('a', 32);

    private static string Error(string text) => Assert.Throws<InvalidDataException>(() => ReleaseFile.Parse(text)).Message;

    [Fact]
    public void Tab_indented_lines_are_entries_too()
    {
        var entry = Assert.Single(ReleaseFile.Parse($"SHA256:\n\t{Sha256}\t12\tmain/a\n").Entries);
        Assert.Equal(new ReleaseEntry("SHA256", Sha256, 12, "main/a"), entry);
    }

    [Fact]
    public void A_field_after_a_digest_list_ends_it()
    {
        var release = ReleaseFile.Parse($"SHA256:\n {Sha256} 1 a\nDescription: x\n {Sha256} 2 b\n");
        Assert.Equal(["a"], release.Entries.Select(e => e.Path));
        Assert.Equal("x", release.Field("Description"));
    }

    [Fact]
    public void Values_are_trimmed_and_need_no_space_after_the_colon()
    {
        var release = ReleaseFile.Parse("Origin:Debian\nSuite: \t stable \t\nLabel:\nA: b\n");
        Assert.Equal("Debian", release.Field("Origin"));
        Assert.Equal("stable", release.Field("Suite"));
        Assert.Equal("", release.Field("Label"));
        Assert.Equal("b", release.Field("A"));
    }

    [Fact]
    public void A_line_of_spaces_and_tabs_is_blank()
    {
        Assert.Equal("Release line 3: a second paragraph", Error("Origin: a\n \t \nSuite: b\n"));
        Assert.Equal("a", ReleaseFile.Parse(" \t\n\t\nOrigin: a\n  \n").Field("Origin"));
    }

    [Fact]
    public void A_blank_line_ends_the_paragraph_even_inside_a_digest_list() =>
        Assert.Equal("Release line 3: a second paragraph", Error($"SHA256:\n\n {Sha256} 1 a\n"));

    [Fact]
    public void A_continuation_before_any_field_is_refused_even_after_blank_lines() =>
        Assert.Equal("Release line 2: a continuation line before any field", Error("\n\tx\n"));

    [Fact]
    public void A_control_character_in_a_field_name_is_refused() =>
        Assert.Equal("Release line 1: 'Ori\u0001gin: a' is not 'Field: value'", Error("Ori\u0001gin: a\n"));

    [Theory]
    [InlineData("MD5Sum", 32)]
    [InlineData("SHA1", 40)]
    [InlineData("SHA256", 64)]
    [InlineData("SHA512", 128)]
    public void A_digest_of_its_length_is_read_and_one_digit_more_or_less_is_refused(string field, int length)
    {
        Assert.Equal(new string('0', length), Assert.Single(ReleaseFile.Parse($"{field}:\n {new string('0', length)} 1 a\n").Entries).Hex);
        foreach (var wrong in new[] { length - 1, length + 1 })
        {
            var error = Error($"{field}:\n {new string('0', wrong)} 1 a\n");
            Assert.StartsWith("Release line 2: '000", error);
            Assert.EndsWith($"' is not '<{field} digest> <size> <path>'", error);
        }
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Sizes_from_zero_to_the_largest_long_are_read(string size, long expected) =>
        Assert.Equal(expected, Assert.Single(ReleaseFile.Parse($"SHA256:\n {Sha256} {size} a\n").Entries).Size);

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("+1")]
    [InlineData("1.0")]
    [InlineData("0x10")]
    public void Sizes_that_are_not_plain_decimal_longs_are_refused(string size) =>
        Assert.Equal($"Release line 2: '{Md5} {size} a' is not '<MD5Sum digest> <size> <path>'", Error($"MD5Sum:\n {Md5} {size} a\n"));

    [Fact]
    public void A_line_of_80_characters_is_quoted_whole_and_one_of_81_is_shortened()
    {
        var eighty = new string('x', 80);
        Assert.Equal($"Release line 1: '{eighty}' is not 'Field: value'", Error(eighty + "\n"));
        Assert.Equal($"Release line 1: '{eighty}…' is not 'Field: value'", Error(eighty + "y\n"));
    }

    [Fact]
    public void Entries_of_a_path_keep_the_file_order_within_a_field()
    {
        var release = ReleaseFile.Parse($"MD5Sum:\n {new string('1', 32)} 1 a\n {new string('2', 32)} 2 a\nSHA256:\n {Sha256} 3 a\n");
        Assert.Equal([3L, 1L, 2L], release.For("a").Select(e => e.Size));
    }
}
