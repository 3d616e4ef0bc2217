using System.Text;
using Eliloader.Formats.OpenPgp;
using Eliloader.TestSupport;

namespace Eliloader.Formats.Tests.OpenPgp;

/// <summary>
/// Keys made by gpg at test time for each rule; every verdict is compared with gpgv's on
/// the same files. Slow: making the RSA keys costs seconds of CPU, which make mutate would
/// pay again for every mutant (the rules themselves are tested in memory by
/// SignatureRuleTests and KeyCertificateRuleTests).
/// </summary>
[Trait("Category", "Slow")]
public sealed class SignatureCheckerTests(TestSigningKeysFixture fixture) : IClassFixture<TestSigningKeysFixture>, IDisposable
{
    private const string Text = "Origin: Test\nCodename: test\nSHA256:\n";
    private static readonly SignatureRules NoSha1 = new(Sha1Before: null);
    private static readonly string[] Trusted =
        [TestSigningKeys.Archive, TestSigningKeys.Subkeyed, TestSigningKeys.Expired, TestSigningKeys.Lapsed, TestSigningKeys.Revoked];

    private readonly TestSigningKeys keys = fixture.Keys;
    private readonly string directory = Directory.CreateTempSubdirectory("eli-sigs-").FullName;

    private Keyring Keyring(params string[] names)
    {
        var keyring = new Keyring();
        keyring.Add("test.gpg", keys.PublicKeys(names));
        return keyring;
    }

    private string KeyringFile(params string[] names)
    {
        var path = Path.Combine(directory, "keyring.gpg");
        File.WriteAllBytes(path, keys.PublicKeys(names));
        return path;
    }

    private static IReadOnlyList<SignatureCheck> CheckClearsigned(string signed, Keyring keyring, SignatureRules? rules = null)
    {
        var message = ClearsignedText.Parse(signed);
        return SignatureChecker.Check(message.Signature, message.SignedBytes(), keyring, rules ?? NoSha1);
    }

    public static TheoryData<string, SignatureVerdict> Signers => new()
    {
        { TestSigningKeys.Archive, SignatureVerdict.Good },
        { TestSigningKeys.Subkeyed, SignatureVerdict.Good },
        { TestSigningKeys.Expired, SignatureVerdict.Good },
        { TestSigningKeys.Lapsed, SignatureVerdict.Expired },
        { TestSigningKeys.Revoked, SignatureVerdict.Revoked },
        { TestSigningKeys.Stranger, SignatureVerdict.UnknownKey },
    };

    [Theory]
    [MemberData(nameof(Signers))]
    public void Clearsigned_verdicts_agree_with_gpgv(string signer, SignatureVerdict expected)
    {
        var signed = keys.ClearSign(signer, Text);
        var path = Path.Combine(directory, "InRelease");
        File.WriteAllText(path, signed);

        var check = Assert.Single(CheckClearsigned(signed, Keyring(Trusted)));
        var gpgv = TestSigningKeys.Gpgv(KeyringFile(Trusted), path);

        Assert.Equal(expected, check.Verdict);
        Assert.Equal(keys.SigningKeyId(signer), check.KeyId);
        Assert.Equal(gpgv.AcceptedUnderEliloaderRules(keys.Expiries()), check.Counts);
        if (expected != SignatureVerdict.UnknownKey)
        {
            Assert.Equal("test.gpg", check.Keyring);
            Assert.StartsWith($"Test ", check.UserId);
            Assert.EndsWith(check.KeyId, check.Fingerprint);
        }
    }

    [Theory]
    [MemberData(nameof(Signers))]
    public void Detached_verdicts_agree_with_gpgv(string signer, SignatureVerdict expected)
    {
        var data = Encoding.UTF8.GetBytes(Text);
        var signature = keys.DetachSign(signer, data);
        File.WriteAllBytes(Path.Combine(directory, "Release"), data);
        File.WriteAllText(Path.Combine(directory, "Release.gpg"), signature);

        var check = Assert.Single(SignatureChecker.Check(Encoding.ASCII.GetBytes(signature), data, Keyring(Trusted), NoSha1));
        var gpgv = TestSigningKeys.Gpgv(KeyringFile(Trusted), Path.Combine(directory, "Release.gpg"), Path.Combine(directory, "Release"));

        Assert.Equal(expected, check.Verdict);
        Assert.Equal(gpgv.AcceptedUnderEliloaderRules(keys.Expiries()), check.Counts);
    }

    [Fact]
    public void Reasons_name_the_key_and_the_dates()
    {
        var lapsed = Assert.Single(CheckClearsigned(keys.ClearSign(TestSigningKeys.Lapsed, Text), Keyring(Trusted)));
        var revoked = Assert.Single(CheckClearsigned(keys.ClearSign(TestSigningKeys.Revoked, Text), Keyring(Trusted)));
        var stranger = Assert.Single(CheckClearsigned(keys.ClearSign(TestSigningKeys.Stranger, Text), Keyring(Trusted)));

        Assert.Equal($"made {DateTime.UtcNow:yyyy-MM-dd}, after key {lapsed.KeyId} expired (2021-01-01)", lapsed.Reason);
        Assert.Equal($"key {revoked.KeyId} is revoked", revoked.Reason);
        Assert.Equal($"key {stranger.KeyId} is in no keyring", stranger.Reason);
        Assert.Equal($"key {stranger.KeyId}", stranger.Signer);
        Assert.Equal($"key {revoked.KeyId} (Test Revoked Key <revoked@example.org>)", revoked.Signer);
        Assert.Equal("SHA256", revoked.Hash);
    }

    [Fact]
    public void A_changed_text_or_a_signature_over_other_text_is_bad_as_gpgv_says()
    {
        var signed = keys.ClearSign(TestSigningKeys.Archive, Text);
        var tampered = signed.Replace("Codename: test", "Codename: tesu");
        var other = ClearsignedText.Parse(keys.ClearSign(TestSigningKeys.Archive, "Other text\n"));
        var swapped = ClearsignedText.Parse(signed);
        var path = Path.Combine(directory, "InRelease");
        File.WriteAllText(path, tampered);

        var check = Assert.Single(CheckClearsigned(tampered, Keyring(Trusted)));
        var swappedCheck = Assert.Single(SignatureChecker.Check(other.Signature, swapped.SignedBytes(), Keyring(Trusted), NoSha1));

        Assert.Equal(SignatureVerdict.Bad, check.Verdict);
        Assert.Equal("the signature does not match the signed text", check.Reason);
        Assert.Equal(SignatureVerdict.Bad, swappedCheck.Verdict);
        Assert.True(TestSigningKeys.Gpgv(KeyringFile(Trusted), path).Has("BADSIG"));
    }

    [Fact]
    public void Trailing_blanks_and_line_ends_do_not_change_a_clearsigned_verdict()
    {
        var signed = keys.ClearSign(TestSigningKeys.Archive, "a  \nb\t\n");
        var rewritten = signed.Replace("\n", "\r\n").Replace("\r\na\r\n", "\r\na \t\r\n");
        Assert.Equal(SignatureVerdict.Good, Assert.Single(CheckClearsigned(rewritten, Keyring(Trusted))).Verdict);
    }

    [Fact]
    public void A_detached_text_signature_is_checked_with_canonical_line_ends()
    {
        var data = Encoding.UTF8.GetBytes("line one\nline two\n");
        var path = Path.Combine(directory, "data");
        File.WriteAllBytes(path, data);
        var signature = ClearsignedText.Parse(keys.ClearSign(TestSigningKeys.Archive, "line one\nline two\n")).Signature;
        // A clearsign signature covers the text without its last line end: with it, it is bad.
        Assert.Equal(SignatureVerdict.Bad, Assert.Single(SignatureChecker.Check(signature, data, Keyring(Trusted), NoSha1)).Verdict);
        Assert.Equal(SignatureVerdict.Good, Assert.Single(SignatureChecker.Check(signature, "line one\r\nline two"u8, Keyring(Trusted), NoSha1)).Verdict);
    }

    [Fact]
    public void Sha1_counts_only_for_signatures_made_before_the_configured_day()
    {
        var signed = keys.ClearSign(TestSigningKeys.Archive, Text, digest: "SHA1");
        var now = DateTime.UtcNow;

        var never = Assert.Single(CheckClearsigned(signed, Keyring(Trusted), NoSha1));
        var later = Assert.Single(CheckClearsigned(signed, Keyring(Trusted), new SignatureRules(now.AddDays(1))));
        var earlier = Assert.Single(CheckClearsigned(signed, Keyring(Trusted), new SignatureRules(new DateTime(2017, 1, 1, 0, 0, 0, DateTimeKind.Utc))));

        Assert.Equal(SignatureVerdict.WeakHash, never.Verdict);
        Assert.Equal("a SHA-1 signature, and SHA-1 signatures do not count", never.Reason);
        Assert.Equal(SignatureVerdict.Good, later.Verdict);
        Assert.Equal("SHA1", later.Hash);
        Assert.Equal(SignatureVerdict.WeakHash, earlier.Verdict);
        Assert.Equal($"a SHA-1 signature made {now:yyyy-MM-dd}, and SHA-1 signatures count only when made before 2017-01-01", earlier.Reason);
    }

    [Fact]
    public void Old_hashes_never_count()
    {
        var check = Assert.Single(CheckClearsigned(keys.ClearSign(TestSigningKeys.Archive, Text, digest: "RIPEMD160"), Keyring(Trusted), new SignatureRules(DateTime.MaxValue)));
        Assert.Equal(SignatureVerdict.WeakHash, check.Verdict);
        Assert.Equal("hash RIPEMD160 is not accepted", check.Reason);
    }

    [Fact]
    public void A_signature_dated_before_its_key_does_not_count()
    {
        var signed = keys.ClearSign(TestSigningKeys.Archive, Text, "20100101T000000", "SHA256", "--ignore-time-conflict");
        var check = Assert.Single(CheckClearsigned(signed, Keyring(Trusted)));
        Assert.Equal(SignatureVerdict.NotYetValid, check.Verdict);
        Assert.StartsWith($"made 2010-01-01, before key {check.KeyId} was created (", check.Reason);
    }

    [Fact]
    public void Each_of_several_signatures_gets_its_verdict()
    {
        var data = Encoding.UTF8.GetBytes(Text);
        var first = ArmoredBlock.ReadAll(keys.DetachSign(TestSigningKeys.Archive, data)).Single().Data;
        var second = ArmoredBlock.ReadAll(keys.DetachSign(TestSigningKeys.Stranger, data)).Single().Data;
        var checks = SignatureChecker.Check([.. first, .. second], data, Keyring(TestSigningKeys.Archive), NoSha1);
        Assert.Equal([SignatureVerdict.Good, SignatureVerdict.UnknownKey], checks.Select(c => c.Verdict));
    }

    [Fact]
    public void Armored_and_binary_keyrings_hold_the_same_keys()
    {
        var armored = new Keyring();
        armored.Add("test.asc", Encoding.ASCII.GetBytes(keys.ArmoredPublicKeys(Trusted)));
        Assert.Equal(Trusted.Length, armored.Count);
        Assert.Equal(Keyring(Trusted).Describe().Select(k => k.Fingerprint), armored.Describe().Select(k => k.Fingerprint));
        Assert.Equal(SignatureVerdict.Good, Assert.Single(CheckClearsigned(keys.ClearSign(TestSigningKeys.Subkeyed, Text), armored)).Verdict);
    }

    [Fact]
    public void Keys_are_described_with_expiry_revocation_and_signing_subkeys()
    {
        var described = Keyring(Trusted).Describe().ToDictionary(k => k.UserIds.Single().Split('<')[1].Split('@')[0]);

        Assert.Equal(keys.Fingerprint(TestSigningKeys.Archive), described[TestSigningKeys.Archive].Fingerprint);
        Assert.Equal(keys.Fingerprint(TestSigningKeys.Archive)[^16..], described[TestSigningKeys.Archive].KeyId);
        Assert.Equal("rsa4096", described[TestSigningKeys.Archive].Algorithm);
        Assert.Null(described[TestSigningKeys.Archive].Expires);
        Assert.False(described[TestSigningKeys.Archive].Revoked);
        Assert.Empty(described[TestSigningKeys.Archive].Subkeys);
        Assert.Equal(new DateTime(2021, 1, 1), described[TestSigningKeys.Expired].Expires?.Date);
        Assert.Equal(new DateTime(2020, 1, 1), described[TestSigningKeys.Expired].Created.Date);
        Assert.Equal(new DateTime(2021, 1, 1), described[TestSigningKeys.Lapsed].Expires?.Date);
        Assert.True(described[TestSigningKeys.Revoked].Revoked);
        var subkey = Assert.Single(described[TestSigningKeys.Subkeyed].Subkeys);
        Assert.Equal(keys.SigningKeyId(TestSigningKeys.Subkeyed), subkey.KeyId);
        Assert.True(subkey.CanSign);
        Assert.False(subkey.Revoked);
        Assert.Null(subkey.Expires);
        Assert.All(described.Values, k => Assert.Equal("test.gpg", k.Source));
    }

    [Fact]
    public void A_keyring_that_holds_no_public_key_is_refused()
    {
        var signature = Encoding.ASCII.GetBytes(keys.DetachSign(TestSigningKeys.Archive, "x"u8.ToArray()));
        Assert.Equal("bad.asc: holds OpenPGP data other than public keys",
            Assert.Throws<InvalidDataException>(() => new Keyring().Add("bad.asc", ArmoredBlock.ReadAll(Encoding.ASCII.GetString(signature)).Single().Data)).Message);
        Assert.Equal("empty.gpg: no public key", Assert.Throws<InvalidDataException>(() => new Keyring().Add("empty.gpg", [])).Message);
        Assert.StartsWith("malformed OpenPGP packets", Assert.Throws<InvalidDataException>(() => new Keyring().Add("junk.gpg", [0x99, 0x01])).Message);
        Assert.Equal("armored SIGNATURE where a PUBLIC KEY BLOCK was expected", Assert.Throws<InvalidDataException>(() => new Keyring().Add("sig.asc", signature)).Message);
    }

    [Fact]
    public void A_signature_file_must_hold_signatures()
    {
        Assert.Equal("the signature holds no signature packet",
            Assert.Throws<InvalidDataException>(() => SignatureChecker.Check([], "x"u8, Keyring(Trusted), NoSha1)).Message);
        Assert.Equal("the signature holds OpenPGP data other than signatures",
            Assert.Throws<InvalidDataException>(() => SignatureChecker.Check(keys.PublicKeys(TestSigningKeys.Archive), "x"u8, Keyring(Trusted), NoSha1)).Message);
        var many = Enumerable.Repeat(ArmoredBlock.ReadAll(keys.DetachSign(TestSigningKeys.Archive, "x"u8.ToArray())).Single().Data, SignatureChecker.MaxSignatures + 1).SelectMany(b => b).ToArray();
        Assert.Equal($"more than {SignatureChecker.MaxSignatures} signatures",
            Assert.Throws<InvalidDataException>(() => SignatureChecker.Check(many, "x"u8, Keyring(Trusted), NoSha1)).Message);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}

/// <summary>The generated keys, made once for the class (RSA 4096 takes seconds).</summary>
public sealed class TestSigningKeysFixture : IDisposable
{
    public TestSigningKeys Keys { get; } = new();

    public void Dispose() => Keys.Dispose();
}
