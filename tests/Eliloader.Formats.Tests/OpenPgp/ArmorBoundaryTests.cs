using System.Text;
using Eliloader.Formats.OpenPgp;

namespace Eliloader.Formats.Tests.OpenPgp;

/// <summary>
/// Armor and clearsigned text at their edges: blanks at line ends, the line that ends the
/// headers when it holds only blanks, the 80 characters a message quotes, and several
/// armored key blocks in one keyring file.
/// </summary>
public sealed class ArmorBoundaryTests
{
    private const string Signature = "-----BEGIN PGP SIGNATURE-----\n\naGVsbG8=\n-----END PGP SIGNATURE-----\n";

    private static string ArmorError(string text) => Assert.Throws<InvalidDataException>(() => ArmoredBlock.ReadAll(text)).Message;

    private static string ClearsignError(string text) => Assert.Throws<InvalidDataException>(() => ClearsignedText.Parse(text)).Message;

    [Fact]
    public void Header_lines_lose_their_trailing_blanks_and_a_line_of_blanks_ends_them()
    {
        var block = ArmoredBlock.ReadAll("-----BEGIN PGP SIGNATURE-----\nVersion: x \t\n \t\naGVsbG8=\n-----END PGP SIGNATURE-----\n").Single();
        Assert.Equal([new("Version", "x")], block.Headers);
        Assert.Equal("hello"u8.ToArray(), block.Data);
    }

    [Fact]
    public void Only_spaces_and_tabs_make_a_line_blank() =>
        Assert.Equal("line 1: expected '-----BEGIN PGP …-----', found '\f'", ArmorError("\f\n" + Signature));

    [Fact]
    public void A_header_needs_a_key_of_one_character_at_least()
    {
        var block = ArmoredBlock.ReadAll("-----BEGIN PGP SIGNATURE-----\nV: x\n\naGVsbG8=\n-----END PGP SIGNATURE-----\n").Single();
        Assert.Equal([new("V", "x")], block.Headers);
    }

    [Fact]
    public void A_line_of_80_characters_is_quoted_whole_and_one_of_81_is_shortened()
    {
        var eighty = new string('x', 80);
        Assert.Equal($"line 1: expected '-----BEGIN PGP …-----', found '{eighty}'", ArmorError(eighty));
        Assert.Equal($"line 1: expected '-----BEGIN PGP …-----', found '{eighty}…'", ArmorError(eighty + "y"));
    }

    [Fact]
    public void Errors_name_the_block_and_the_line()
    {
        Assert.Equal("armored SIGNATURE: the headers never end", ArmorError("-----BEGIN PGP SIGNATURE-----\nVersion: x\n"));
        Assert.Equal("armored SIGNATURE: no '-----END PGP SIGNATURE-----' line", ArmorError("-----BEGIN PGP SIGNATURE-----\n\naGVsbG8=\n"));
        Assert.Equal("armored SIGNATURE: the data is not base64", ArmorError("-----BEGIN PGP SIGNATURE-----\n\naGVsbG8\n-----END PGP SIGNATURE-----\n"));
        Assert.Equal("armored SIGNATURE: '=AAAAAA==' is not a CRC-24 line", ArmorError("-----BEGIN PGP SIGNATURE-----\n\naGVsbG8=\n=AAAAAA==\n-----END PGP SIGNATURE-----\n"));
        Assert.Equal("line 3: expected '-----BEGIN PGP …-----', found 'x'", ArmorError("\n \nx\n"));
    }

    [Fact]
    public void Clearsigned_headers_end_at_a_line_of_blanks()
    {
        var message = ClearsignedText.Parse($"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256 \n \t\ntext\n{Signature}");
        Assert.Equal(["SHA256"], message.Hashes);
        Assert.Equal(["text"], message.Lines);
    }

    [Fact]
    public void Clearsigned_errors_name_the_line()
    {
        Assert.Equal("clearsigned message: the headers never end", ClearsignError("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n"));
        Assert.Equal("clearsigned message: no '-----BEGIN PGP SIGNATURE-----' line", ClearsignError("-----BEGIN PGP SIGNED MESSAGE-----\n\ntext\n"));
        Assert.Equal("clearsigned message line 4: 'Origin: evil' is not a Hash header", ClearsignError("\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\nOrigin: evil\n\ntext\n" + Signature));
        Assert.Equal("clearsigned message line 9: text after the signature", ClearsignError("-----BEGIN PGP SIGNED MESSAGE-----\n\nx\n" + Signature + " \nOrigin: evil\n"));
    }

    [Fact]
    public void A_lone_dash_line_is_refused_and_a_line_without_a_dash_is_kept()
    {
        Assert.Equal("clearsigned message line 3: '-' starts with a dash that is not escaped", ClearsignError("-----BEGIN PGP SIGNED MESSAGE-----\n\n-\n" + Signature));
        Assert.Equal(["a-", "- "], ClearsignedText.Parse("-----BEGIN PGP SIGNED MESSAGE-----\n\na-\n- - \n" + Signature).Lines);
    }

    [Fact]
    public void Every_armored_block_of_a_keyring_file_is_read()
    {
        var first = CraftedKey.New(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var second = CraftedKey.New(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var text = "\t\n" + Armor(CraftedRing.Usual(first).Bytes()) + "\n" + Armor(CraftedRing.Usual(second).Bytes());
        var keyring = new Keyring();
        keyring.Add("two.asc", Encoding.ASCII.GetBytes(text));

        Assert.Equal([first.Id, second.Id], keyring.Describe().Select(k => k.KeyId));
    }

    private static string Armor(byte[] data) =>
        $"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n{Convert.ToBase64String(data)}\n-----END PGP PUBLIC KEY BLOCK-----\n";
}
