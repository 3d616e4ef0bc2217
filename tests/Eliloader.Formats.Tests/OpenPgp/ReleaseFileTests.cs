using Eliloader.Formats.Debian;

namespace Eliloader.Formats.Tests.OpenPgp;

public sealed class ReleaseFileTests
{
    private static readonly string Md5 = new('a', 32);
    private static readonly string Sha1 = new('b', 40);
    private static readonly string Sha256 = new('c', 64);
    private static readonly string Sha512 = new('d', 128);

    private static string Sample => $"""
        Origin: Debian
        Codename: bookworm
        Description: two
         lines
        MD5Sum:
         {Md5}  78509 main/installer-amd64/current/images/SHA256SUMS
         {Md5.ToUpperInvariant()} 10 main/Contents-all
        SHA256:
         {Sha256}    78509 main/installer-amd64/current/images/SHA256SUMS
        sha1:
         {Sha1} 78509 main/installer-amd64/current/images/SHA256SUMS
        SHA512:
         {Sha512} 78509 main/installer-amd64/current/images/SHA256SUMS
        Valid-Until: Sat, 18 Jul 2026 10:16:37 UTC

        """;

    [Fact]
    public void Reads_fields_and_digest_entries()
    {
        var release = ReleaseFile.Parse(Sample);

        Assert.Equal("Debian", release.Field("Origin"));
        Assert.Equal("bookworm", release.Field("codename"));
        Assert.Equal("two", release.Field("Description"));
        Assert.Null(release.Field("Suite"));
        Assert.Equal(5, release.Entries.Count);
        Assert.Equal(new ReleaseEntry("MD5Sum", Md5, 10, "main/Contents-all"), release.Entries[1]);
    }

    [Fact]
    public void A_path_gets_its_entries_strongest_first()
    {
        var listed = ReleaseFile.Parse(Sample).For("main/installer-amd64/current/images/SHA256SUMS");

        Assert.Equal(["SHA512", "SHA256", "SHA1", "MD5Sum"], listed.Select(e => e.Field));
        Assert.Equal([Sha512, Sha256, Sha1, Md5], listed.Select(e => e.Hex));
        Assert.All(listed, e => Assert.Equal(78509, e.Size));
        Assert.Empty(ReleaseFile.Parse(Sample).For("main/installer-amd64/current/images/MD5SUMS"));
    }

    [Fact]
    public void Hex_is_lower_cased() =>
        Assert.Equal(Md5, ReleaseFile.Parse(Sample).For("main/Contents-all").Single().Hex);

    [Fact]
    public void Crlf_lines_and_blank_lines_at_the_ends_are_accepted()
    {
        var release = ReleaseFile.Parse("\n\r\n" + Sample.Replace("\n", "\r\n") + "\r\n\r\n");
        Assert.Equal(5, release.Entries.Count);
        Assert.Equal("Debian", release.Field("Origin"));
    }

    [Fact]
    public void An_empty_file_lists_nothing() => Assert.Empty(ReleaseFile.Parse("").Entries);

    [Fact]
    public void Continuation_lines_of_other_fields_are_not_entries() =>
        Assert.Empty(ReleaseFile.Parse($"Description: x\n {Sha256} 1 a\n").Entries);

    [Theory]
    [InlineData("Origin: a\n\nSuite: b\n", "Release line 3: a second paragraph")]
    [InlineData(" x\n", "Release line 1: a continuation line before any field")]
    [InlineData("Origin a\n", "Release line 1: 'Origin a' is not 'Field: value'")]
    [InlineData(": a\n", "Release line 1: ': a' is not 'Field: value'")]
    [InlineData("Ori gin: a\n", "'Ori gin: a' is not 'Field: value'")]
    [InlineData("Origin: a\norigin: b\n", "Release line 2: field 'origin' appears twice")]
    [InlineData("MD5Sum:\n 0123 1 a\n", "Release line 2: '0123 1 a' is not '<MD5Sum digest> <size> <path>'")]
    [InlineData("SHA256:\n zz 1 a\n", "is not '<SHA256 digest> <size> <path>'")]
    [InlineData("MD5Sum:\n 0123456789abcdef0123456789abcdeg 1 a\n", "is not '<MD5Sum digest>")]
    [InlineData("MD5Sum:\n 0123456789abcdef0123456789abcdef -1 a\n", "is not '<MD5Sum digest>")]
    [InlineData("MD5Sum:\n 0123456789abcdef0123456789abcdef 1\n", "is not '<MD5Sum digest>")]
    [InlineData("MD5Sum:\n 0123456789abcdef0123456789abcdef 1 a b\n", "is not '<MD5Sum digest>")]
    public void Malformed_files_are_refused_naming_the_line(string text, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => ReleaseFile.Parse(text));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_long_line_is_shortened_in_the_message()
    {
        var error = Assert.Throws<InvalidDataException>(() => ReleaseFile.Parse(new string('x', 100) + "\n"));
        Assert.Contains(new string('x', 80) + "…'", error.Message);
        Assert.DoesNotContain(new string('x', 81), error.Message);
    }

    [Fact]
    public void Digest_fields_are_ordered_strongest_first_with_their_lengths() =>
        Assert.Equal([("SHA512", 128), ("SHA256", 64), ("SHA1", 40), ("MD5Sum", 32)], ReleaseFile.DigestFields);
}
