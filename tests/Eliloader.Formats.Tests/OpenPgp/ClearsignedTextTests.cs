using System.Text;
using Eliloader.Formats.OpenPgp;

namespace Eliloader.Formats.Tests.OpenPgp;

public sealed class ClearsignedTextTests
{
    private const string Signature = "-----BEGIN PGP SIGNATURE-----\n\naGVsbG8=\n-----END PGP SIGNATURE-----\n";

    private static string Message(string body, string headers = "Hash: SHA256\n") =>
        $"-----BEGIN PGP SIGNED MESSAGE-----\n{headers}\n{body}{Signature}";

    [Fact]
    public void Splits_text_headers_and_signature()
    {
        var message = ClearsignedText.Parse(Message("Origin: Debian\nSuite: stable\n", "Hash: SHA1, SHA256\nHash: SHA512\n"));

        Assert.Equal(["Origin: Debian", "Suite: stable"], message.Lines);
        Assert.Equal("Origin: Debian\nSuite: stable\n", message.Text);
        Assert.Equal(["SHA1", "SHA256", "SHA512"], message.Hashes);
        Assert.Equal("hello"u8.ToArray(), message.Signature);
    }

    [Fact]
    public void Signed_bytes_use_crlf_strip_trailing_blanks_and_end_without_a_line_end()
    {
        var message = ClearsignedText.Parse(Message("a  \nb\t\n\nc \t \n"));

        Assert.Equal("a\r\nb\r\n\r\nc", Encoding.UTF8.GetString(message.SignedBytes()));
        // The text keeps what the file says.
        Assert.Equal("a  \nb\t\n\nc \t \n", message.Text);
    }

    [Fact]
    public void Dash_escaped_lines_are_unescaped()
    {
        var message = ClearsignedText.Parse(Message("- -----BEGIN PGP SIGNATURE-----\n- - x\n-  y\n"));
        Assert.Equal(["-----BEGIN PGP SIGNATURE-----", "- x", " y"], message.Lines);
    }

    [Fact]
    public void Crlf_files_and_blank_lines_around_are_accepted()
    {
        var message = ClearsignedText.Parse("\n \n" + Message("x\n").Replace("\n", "\r\n") + "\n\t\n");
        Assert.Equal(["x"], message.Lines);
        Assert.Equal("x", Encoding.UTF8.GetString(message.SignedBytes()));
    }

    [Fact]
    public void No_hash_header_is_allowed() =>
        Assert.Empty(ClearsignedText.Parse(Message("x\n", headers: "")).Hashes);

    [Fact]
    public void An_empty_text_signs_nothing()
    {
        var message = ClearsignedText.Parse(Message(""));
        Assert.Empty(message.Lines);
        Assert.Empty(message.SignedBytes());
        Assert.Equal("", message.Text);
    }

    [Theory]
    [InlineData("", "does not start with '-----BEGIN PGP SIGNED MESSAGE-----'")]
    [InlineData("Origin: Debian\n", "does not start with")]
    [InlineData("-----BEGIN PGP SIGNATURE-----\n", "does not start with")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n", "the headers never end")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\nComment: x\n\ntext\n" + Signature, "line 2: 'Comment: x' is not a Hash header")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\nHash:SHA256\n\ntext\n" + Signature, "line 2: 'Hash:SHA256' is not a Hash header")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\ntext\n", "no '-----BEGIN PGP SIGNATURE-----' line")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\n\ntext\n-----BEGIN PGP MESSAGE-----\n", "line 4: armored MESSAGE inside the signed text")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\n\n--x\n" + Signature, "line 3: '--x' starts with a dash that is not escaped")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\n\nx\n" + Signature + "Origin: evil\n", "line 8: text after the signature")]
    [InlineData("-----BEGIN PGP SIGNED MESSAGE-----\n\nx\n-----BEGIN PGP SIGNATURE-----\n\naGVsbG8=\n", "no '-----END PGP SIGNATURE-----' line")]
    public void Malformed_messages_are_refused_naming_the_line(string text, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => ClearsignedText.Parse(text));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Gpg_clearsigned_text_gives_back_the_text_gpg_signed()
    {
        var directory = Directory.CreateTempSubdirectory("eli-clearsign-").FullName;
        try
        {
            const string text = "Origin: Test\n-dash line\ntrailing  \n\nlast\n";
            File.WriteAllText(Path.Combine(directory, "Release"), text);
            Shell.Run("gpg --homedir . --batch --passphrase '' --quick-gen-key 'T <t@example.org>' ed25519 sign never 2>/dev/null && gpg --homedir . --batch --clearsign -o InRelease Release 2>/dev/null && gpgconf --homedir . --kill all", directory);
            var message = ClearsignedText.Parse(File.ReadAllText(Path.Combine(directory, "InRelease")));
            Assert.Equal(text, message.Text);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
