using System.Buffers.Binary;
using Eliloader.Formats.OpenPgp;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Eliloader.Formats.Tests.OpenPgp;

/// <summary>
/// The rules a document signature meets before its key is asked, on signatures made in
/// memory and edited byte by byte: its type, its public-key and hash algorithms, SHA-1's
/// cut-off day to the second, how the signer is named, and how many signatures and keys a
/// file may hold.
/// </summary>
public sealed class SignatureRuleTests
{
    private static readonly DateTime Made = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Signed = new(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly byte[] Data = "Origin: Crafted\n"u8.ToArray();
    private static readonly SignatureRules NoSha1 = new(Sha1Before: null);

    // Offsets in a version 4 signature packet's body (RFC 4880 section 5.2.3).
    private const int TypeOffset = 1;
    private const int AlgorithmOffset = 2;
    private const int HashOffset = 3;
    private const int HashedLengthOffset = 4;
    private const byte IssuerFingerprintSubpacket = 33;

    private readonly CraftedKey key = CraftedKey.New(Made);

    private Keyring Keyring()
    {
        var keyring = new Keyring();
        keyring.Add("crafted.gpg", CraftedRing.Usual(key).Bytes());
        return keyring;
    }

    private SignatureCheck Check(byte[] signature, SignatureRules? rules = null) =>
        Assert.Single(SignatureChecker.Check(signature, Data, Keyring(), rules ?? NoSha1));

    /// <summary>A signature packet's body and where it starts.</summary>
    private static (int Start, int Length) Body(byte[] packet)
    {
        if ((packet[0] & 0x40) == 0)
        {
            var size = 1 << (packet[0] & 3);
            var length = 0;
            for (var i = 0; i < size; i++)
                length = (length << 8) | packet[1 + i];
            return (1 + size, length);
        }
        return packet[1] switch
        {
            < 192 => (2, packet[1]),
            < 224 => (3, ((packet[1] - 192) << 8) + packet[2] + 192),
            _ => (6, BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan(2))),
        };
    }

    private static byte[] WithByte(byte[] packet, int offset, byte value)
    {
        var copy = (byte[])packet.Clone();
        copy[Body(packet).Start + offset] = value;
        return copy;
    }

    /// <summary>The signature with its unhashed subpacket area (where BouncyCastle puts the issuer key ID) replaced.</summary>
    private static byte[] WithUnhashed(byte[] packet, byte[] area)
    {
        var (start, length) = Body(packet);
        var body = packet.AsSpan(start, length);
        var unhashedAt = HashedLengthOffset + 2 + BinaryPrimitives.ReadUInt16BigEndian(body[HashedLengthOffset..]);
        var restAt = unhashedAt + 2 + BinaryPrimitives.ReadUInt16BigEndian(body[unhashedAt..]);
        var newBody = new MemoryStream();
        newBody.Write(body[..unhashedAt]);
        newBody.WriteByte((byte)(area.Length >> 8));
        newBody.WriteByte((byte)area.Length);
        newBody.Write(area);
        newBody.Write(body[restAt..]);
        var output = new MemoryStream();
        output.WriteByte(0xC0 | (int)PacketTag.Signature);
        output.WriteByte(0xFF);
        var size = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(size, (int)newBody.Length);
        output.Write(size);
        output.Write(newBody.ToArray());
        return output.ToArray();
    }

    private static byte[] FingerprintSubpacket(ReadOnlySpan<byte> fingerprint) =>
        [(byte)(fingerprint.Length + 2), IssuerFingerprintSubpacket, 4, .. fingerprint];

    [Theory]
    [InlineData(PgpSignature.BinaryDocument)]
    [InlineData(PgpSignature.CanonicalTextDocument)]
    public void Both_kinds_of_document_signature_are_checked(int type)
    {
        var check = Check(key.Sign(Data, Signed, type: type));
        Assert.Equal(SignatureVerdict.Good, check.Verdict);
        Assert.Equal("good signature", check.Reason);
        Assert.True(check.Counts);
        Assert.Equal($"key {key.Id} (Crafted <crafted@example.org>)", check.Signer);
        Assert.Equal(Signed, check.Created);
    }

    [Theory]
    [InlineData(PgpSignature.StandAlone, "0x02")]
    [InlineData(PgpSignature.PositiveCertification, "0x13")]
    [InlineData(PgpSignature.SubkeyBinding, "0x18")]
    [InlineData(PgpSignature.Timestamp, "0x40")]
    public void Other_signature_types_are_not_document_signatures(int type, string hex)
    {
        var check = Check(key.Sign(Data, Signed, type: type));
        Assert.Equal(SignatureVerdict.Unsupported, check.Verdict);
        Assert.Equal($"signature type {hex} is not a document signature", check.Reason);
        Assert.Equal(key.Id, check.KeyId);
        Assert.Null(check.Keyring);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(19)]
    [InlineData(16)]
    public void Other_public_key_algorithms_are_not_supported(byte algorithm)
    {
        var check = Check(WithByte(key.Sign(Data, Signed), AlgorithmOffset, algorithm));
        Assert.Equal(SignatureVerdict.Unsupported, check.Verdict);
        Assert.Equal($"public-key algorithm {algorithm} is not supported (RSA and Ed25519 are)", check.Reason);
    }

    [Theory]
    [InlineData(PublicKeyAlgorithmTag.RsaGeneral)]
    [InlineData(PublicKeyAlgorithmTag.RsaSign)]
    public void Rsa_keys_sign_under_either_algorithm_number_and_are_described_by_their_size(PublicKeyAlgorithmTag algorithm)
    {
        var rsa = CraftedKey.NewRsa(Made, algorithm);
        var keyring = new Keyring();
        keyring.Add("rsa.gpg", CraftedRing.Usual(rsa).Bytes());

        Assert.Equal(SignatureVerdict.Good, Assert.Single(SignatureChecker.Check(rsa.Sign(Data, Signed), Data, keyring, NoSha1)).Verdict);
        Assert.Equal("rsa1024", Assert.Single(keyring.Describe()).Algorithm);
    }

    [Fact]
    public void An_ecdsa_key_is_described_by_its_number_and_its_signatures_are_not_supported()
    {
        var ecdsa = CraftedKey.NewEcdsa(Made);
        var keyring = new Keyring();
        keyring.Add("ecdsa.gpg", CraftedRing.Usual(ecdsa).Bytes());

        var check = Assert.Single(SignatureChecker.Check(ecdsa.Sign(Data, Signed), Data, keyring, NoSha1));
        Assert.Equal(SignatureVerdict.Unsupported, check.Verdict);
        Assert.Equal("public-key algorithm 19 is not supported (RSA and Ed25519 are)", check.Reason);
        Assert.Equal("algorithm 19", Assert.Single(keyring.Describe()).Algorithm);
    }

    [Theory]
    [InlineData((byte)PublicKeyAlgorithmTag.RsaGeneral)]
    [InlineData((byte)PublicKeyAlgorithmTag.RsaSign)]
    public void Rsa_and_ed25519_signatures_go_on_to_the_key(byte algorithm)
    {
        // Relabelled, the Ed25519 key's signature no longer verifies: it is bad, not unsupported.
        var check = Check(WithByte(key.Sign(Data, Signed), AlgorithmOffset, algorithm));
        Assert.Equal(SignatureVerdict.Bad, check.Verdict);
        Assert.Equal("the signature does not match the signed text", check.Reason);
        Assert.Equal("crafted.gpg", check.Keyring);
        Assert.False(check.Counts);
    }

    [Theory]
    [InlineData(HashAlgorithmTag.Sha224, "SHA224")]
    [InlineData(HashAlgorithmTag.Sha256, "SHA256")]
    [InlineData(HashAlgorithmTag.Sha384, "SHA384")]
    [InlineData(HashAlgorithmTag.Sha512, "SHA512")]
    public void Sha2_signatures_count(HashAlgorithmTag hash, string name)
    {
        var check = Check(key.Sign(Data, Signed, hash));
        Assert.Equal(SignatureVerdict.Good, check.Verdict);
        Assert.Equal(name, check.Hash);
    }

    [Theory]
    [InlineData(HashAlgorithmTag.MD5, "MD5")]
    [InlineData(HashAlgorithmTag.RipeMD160, "RIPEMD160")]
    [InlineData((HashAlgorithmTag)100, "algorithm 100")]
    public void Other_hashes_are_refused_by_name(HashAlgorithmTag hash, string name)
    {
        var check = Check(WithByte(key.Sign(Data, Signed), HashOffset, (byte)hash), new SignatureRules(DateTime.MaxValue));
        Assert.Equal(SignatureVerdict.WeakHash, check.Verdict);
        Assert.Equal(name, check.Hash);
        Assert.Equal($"hash {name} is not accepted", check.Reason);
    }

    [Fact]
    public void A_sha1_signature_made_the_second_of_the_cut_off_is_refused_and_one_second_earlier_counts()
    {
        var signature = key.Sign(Data, Signed, HashAlgorithmTag.Sha1);
        var atCutOff = Check(signature, new SignatureRules(Signed));
        var beforeCutOff = Check(signature, new SignatureRules(Signed.AddSeconds(1)));

        Assert.Equal(SignatureVerdict.WeakHash, atCutOff.Verdict);
        Assert.Equal("a SHA-1 signature made 2024-03-01, and SHA-1 signatures count only when made before 2024-03-01", atCutOff.Reason);
        Assert.Equal(SignatureVerdict.Good, beforeCutOff.Verdict);
        Assert.Equal("SHA1", beforeCutOff.Hash);
    }

    [Fact]
    public void Without_a_cut_off_sha1_never_counts()
    {
        var check = Check(key.Sign(Data, Signed, HashAlgorithmTag.Sha1));
        Assert.Equal(SignatureVerdict.WeakHash, check.Verdict);
        Assert.Equal("a SHA-1 signature, and SHA-1 signatures do not count", check.Reason);
        Assert.False(check.Counts);
    }

    [Fact]
    public void A_signature_file_must_hold_signatures_and_at_most_thirty_two()
    {
        var signature = key.Sign(Data, Signed);
        Assert.Equal("the signature holds no signature packet",
            Assert.Throws<InvalidDataException>(() => SignatureChecker.Check([], Data, Keyring(), NoSha1)).Message);
        Assert.Equal("the signature holds OpenPGP data other than signatures",
            Assert.Throws<InvalidDataException>(() => SignatureChecker.Check(CraftedRing.Usual(key).Bytes(), Data, Keyring(), NoSha1)).Message);
        var many = Enumerable.Repeat(signature, SignatureChecker.MaxSignatures + 1).SelectMany(s => s).ToArray();
        Assert.Equal("more than 32 signatures", Assert.Throws<InvalidDataException>(() => SignatureChecker.Check(many, Data, Keyring(), NoSha1)).Message);
    }

    [Fact]
    public void A_keyring_file_must_hold_public_keys_only()
    {
        var signature = key.Sign(Data, Signed);
        var armored = System.Text.Encoding.ASCII.GetBytes($"-----BEGIN PGP SIGNATURE-----\n\n{Convert.ToBase64String(signature)}\n-----END PGP SIGNATURE-----\n");
        Assert.Equal("sig.gpg: holds OpenPGP data other than public keys", Assert.Throws<InvalidDataException>(() => new Keyring().Add("sig.gpg", signature)).Message);
        Assert.Equal("empty.gpg: no public key", Assert.Throws<InvalidDataException>(() => new Keyring().Add("empty.gpg", [])).Message);
        Assert.Equal("armored SIGNATURE where a PUBLIC KEY BLOCK was expected", Assert.Throws<InvalidDataException>(() => new Keyring().Add("sig.asc", armored)).Message);
        Assert.StartsWith("malformed OpenPGP packets (", Assert.Throws<InvalidDataException>(() => new Keyring().Add("junk.gpg", [0x99, 0x01])).Message);
    }

    [Fact]
    public void Sha2_counts_whatever_the_sha1_rule()
    {
        Assert.Equal(SignatureVerdict.Good, Check(key.Sign(Data, Signed), new SignatureRules(Made)).Verdict);
        Assert.Equal(SignatureVerdict.Good, Check(key.Sign(Data, Signed), new SignatureRules(DateTime.MaxValue)).Verdict);
    }

    [Fact]
    public void A_signer_named_only_by_its_fingerprint_is_found_in_either_subpacket_area()
    {
        var fingerprint = key.Public.GetFingerprint();
        var hashed = WithUnhashed(key.Sign(Data, Signed, subpackets: s => s.SetIssuerFingerprint(false, key.Public)), []);
        var unhashed = WithUnhashed(key.Sign(Data, Signed), FingerprintSubpacket(fingerprint));
        // The last eight bytes of a fingerprint are the key ID, whatever comes before them.
        var shortest = WithUnhashed(key.Sign(Data, Signed), FingerprintSubpacket(fingerprint.AsSpan(fingerprint.Length - 8)));

        foreach (var signature in new[] { hashed, unhashed, shortest })
        {
            var check = Check(signature);
            Assert.Equal(SignatureVerdict.Good, check.Verdict);
            Assert.Equal(key.Id, check.KeyId);
        }
    }

    [Fact]
    public void A_signer_named_by_nothing_is_key_zero()
    {
        var check = Check(WithUnhashed(key.Sign(Data, Signed), []));
        Assert.Equal(SignatureVerdict.UnknownKey, check.Verdict);
        Assert.Equal("key 0000000000000000 is in no keyring", check.Reason);
    }

    [Fact]
    public void A_key_of_a_later_keyring_file_is_found_and_its_file_named()
    {
        var other = CraftedKey.New(Made);
        var keyring = new Keyring();
        keyring.Add("first.gpg", CraftedRing.Usual(other).Bytes());
        keyring.Add("second.gpg", CraftedRing.Usual(key).Bytes());

        var check = Assert.Single(SignatureChecker.Check(key.Sign(Data, Signed), Data, keyring, NoSha1));
        Assert.Equal(SignatureVerdict.Good, check.Verdict);
        Assert.Equal("second.gpg", check.Keyring);
        Assert.Equal(2, keyring.Count);
    }

    [Fact]
    public void Thirty_two_signatures_are_each_checked()
    {
        var signature = key.Sign(Data, Signed);
        var many = Enumerable.Repeat(signature, SignatureChecker.MaxSignatures).SelectMany(s => s).ToArray();
        var checks = SignatureChecker.Check(many, Data, Keyring(), NoSha1);
        Assert.Equal(32, checks.Count);
        Assert.All(checks, c => Assert.Equal(SignatureVerdict.Good, c.Verdict));
    }

    [Fact]
    public void A_keyring_file_of_the_object_limit_is_read_and_one_more_object_is_refused()
    {
        var encoded = CraftedKey.New(Made).Public.GetEncoded();
        var full = Enumerable.Repeat(encoded, Eliloader.Formats.OpenPgp.Keyring.MaxObjectsPerFile).SelectMany(k => k).ToArray();
        var keyring = new Keyring();
        keyring.Add("full.gpg", full);
        Assert.Equal(4096, keyring.Count);

        var error = Assert.Throws<InvalidDataException>(() => new Keyring().Add("over.gpg", [.. full, .. encoded]));
        Assert.Equal("more than 4096 OpenPGP objects", error.Message);
    }
}
