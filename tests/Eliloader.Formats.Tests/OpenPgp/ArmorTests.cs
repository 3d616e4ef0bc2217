using System.Text;
using Eliloader.Formats.OpenPgp;

namespace Eliloader.Formats.Tests.OpenPgp;

public sealed class ArmorTests
{
    // "hello" in base64, and its CRC-24 as RFC 4880's algorithm gives it.
    private static readonly string Crc = "=" + Convert.ToBase64String(Crc24Bytes("hello"u8.ToArray()));

    private static byte[] Crc24Bytes(byte[] data)
    {
        var crc = Crc24.Compute(data);
        return [(byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
    }

    private static string Block(string body, string label = "SIGNATURE", string headers = "", string? checksum = null, string end = "") =>
        $"-----BEGIN PGP {label}-----\n{headers}\n{body}\n{(checksum is null ? "" : checksum + "\n")}-----END PGP {(end.Length > 0 ? end : label)}-----\n";

    [Fact]
    public void Crc24_matches_the_reference_values()
    {
        Assert.Equal(0xB704CE, Crc24.Compute([]));
        // The CRC-24/OPENPGP check value of the catalogue of CRC parameters.
        Assert.Equal(0x21CF02, Crc24.Compute("123456789"u8));
    }

    [Fact]
    public void Reads_a_block_with_headers_and_checksum()
    {
        var block = ArmoredBlock.ReadAll(Block("aGVs\nbG8=", headers: "Version: GnuPG v2\nComment: two lines\n", checksum: Crc)).Single();

        Assert.Equal("SIGNATURE", block.Label);
        Assert.Equal("hello"u8.ToArray(), block.Data);
        Assert.Equal([new("Version", "GnuPG v2"), new("Comment", "two lines")], block.Headers);
    }

    [Fact]
    public void Reads_several_blocks_with_blank_lines_and_crlf_between()
    {
        var text = Block("aGVsbG8=", checksum: Crc).Replace("\n", "\r\n") + "\n \t\n" + Block("d29ybGQ=", "PUBLIC KEY BLOCK");
        var blocks = ArmoredBlock.ReadAll(text);

        Assert.Equal(["SIGNATURE", "PUBLIC KEY BLOCK"], blocks.Select(b => b.Label));
        Assert.Equal("world"u8.ToArray(), blocks[1].Data);
    }

    [Fact]
    public void The_checksum_is_optional() =>
        Assert.Equal("hello"u8.ToArray(), ArmoredBlock.ReadAll(Block("aGVsbG8=")).Single().Data);

    [Theory]
    [InlineData("", "no armored block")]
    [InlineData("\n\n", "no armored block")]
    [InlineData("text before\n-----BEGIN PGP SIGNATURE-----\n\naGVsbG8=\n-----END PGP SIGNATURE-----\n", "line 1: expected")]
    [InlineData("-----BEGIN PGP SIGNATURE-----\n\naGVsbG8=\n", "no '-----END PGP SIGNATURE-----' line")]
    [InlineData("-----BEGIN PGP SIGNATURE-----\nVersion: x\n", "the headers never end")]
    [InlineData("-----BEGIN PGP SIGNATURE-----\nnot a header\n\naGVsbG8=\n-----END PGP SIGNATURE-----\n", "line 2: armored SIGNATURE: 'not a header' is not a 'Key: value' header")]
    [InlineData("-----BEGIN PGP SIGNATURE-----\n: empty key\n\naGVsbG8=\n-----END PGP SIGNATURE-----\n", "is not a 'Key: value' header")]
    [InlineData("-----BEGIN PGP SIGNATURE-----\n\naGVsbG8=\n-----END PGP MESSAGE-----\n", "line 4: armored SIGNATURE ends as MESSAGE")]
    [InlineData("-----BEGIN PGP SIGNATURE-----\n\naGVsbG8\n-----END PGP SIGNATURE-----\n", "the data is not base64")]
    [InlineData("-----BEGIN PGP SIGNATURE-----\n\naGVsbG8=\n=AAAA\naGVsbG8=\n-----END PGP SIGNATURE-----\n", "line 5: armored SIGNATURE: data after the checksum line")]
    [InlineData("-----BEGIN PGP SIGNATURE-----\n\naGVsbG8=\n=AAA\n-----END PGP SIGNATURE-----\n", "'=AAA' is not a CRC-24 line")]
    [InlineData("-----BEGIN PGP SIGNATURE-----\n\naGVsbG8=\n=AAAAAA==\n-----END PGP SIGNATURE-----\n", "is not a CRC-24 line")]
    [InlineData("-----BEGIN PGP -----\n\naGVsbG8=\n-----END PGP -----\n", "line 1: expected")]
    [InlineData("-----BEGIN PGP SIGNATURE----\n\naGVsbG8=\n-----END PGP SIGNATURE-----\n", "line 1: expected")]
    public void Malformed_armor_is_refused_naming_what(string text, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => ArmoredBlock.ReadAll(text));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_wrong_checksum_names_both_values()
    {
        var error = Assert.Throws<InvalidDataException>(() => ArmoredBlock.ReadAll(Block("aGVsbG8=", checksum: "=AAAA")));
        Assert.Equal($"armored SIGNATURE: CRC-24 is {Crc24.Compute("hello"u8):x6}, the armor says 000000", error.Message);
    }

    [Fact]
    public void A_long_line_is_shortened_in_the_message()
    {
        var error = Assert.Throws<InvalidDataException>(() => ArmoredBlock.ReadAll(new string('x', 200)));
        Assert.Contains(new string('x', 80) + "…'", error.Message);
        Assert.DoesNotContain(new string('x', 81), error.Message);
    }

    [Theory]
    [InlineData("-----BEGIN PGP SIGNATURE-----", "SIGNATURE")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----  ", "SIGNED MESSAGE")]
    [InlineData("-----BEGIN PGP X-----", "X")]
    [InlineData("-----BEGIN PGP -----", null)]
    [InlineData("-----END PGP SIGNATURE-----", null)]
    [InlineData(" -----BEGIN PGP SIGNATURE-----", null)]
    [InlineData("-----BEGIN PGP SIGNATURE", null)]
    public void Begin_lines_give_their_label(string line, string? label) =>
        Assert.Equal(label, ArmoredBlock.BeginLabel(line));

    [Fact]
    public void Binary_data_round_trips_through_gpg_armor()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        var directory = Directory.CreateTempSubdirectory("eli-armor-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(directory, "data"), data);
            Shell.Run("gpg --homedir . --batch --enarmor <data >data.asc 2>/dev/null", directory);
            var block = ArmoredBlock.ReadAll(File.ReadAllText(Path.Combine(directory, "data.asc"))).Single();
            Assert.Equal("ARMORED FILE", block.Label);
            Assert.Equal(data, block.Data);
            Assert.Contains(block.Headers, h => h.Key == "Comment");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Armored_text_is_told_from_binary_packets()
    {
        Assert.True(PacketReader.IsArmored(Encoding.ASCII.GetBytes("\r\n -----BEGIN PGP SIGNATURE-----")));
        Assert.False(PacketReader.IsArmored([0x89, 0x02, 0x33]));
        Assert.False(PacketReader.IsArmored(Encoding.ASCII.GetBytes("x-----BEGIN PGP SIGNATURE-----")));
    }
}
