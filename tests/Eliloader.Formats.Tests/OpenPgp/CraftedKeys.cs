using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Eliloader.Formats.Tests.OpenPgp;

/// <summary>
/// An Ed25519 key made in memory with BouncyCastle, at a chosen creation time. gpg makes
/// only well-formed keys; these make the certificates gpg would never write (a binding
/// without its back-signature, a signature exactly at an expiry, a certification by
/// another key), and take microseconds instead of the seconds an RSA key takes.
/// </summary>
internal sealed class CraftedKey
{
    private CraftedKey(PgpKeyPair pair) => Pair = pair;

    public PgpKeyPair Pair { get; }

    public PgpPublicKey Public => Pair.PublicKey;

    public DateTime Created => Pair.PublicKey.CreationTime;

    /// <summary>The long key ID as eliloader prints it.</summary>
    public string Id => Eliloader.Formats.OpenPgp.KeyId.Format(Pair.KeyId);

    public static CraftedKey New(DateTime created)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        return new CraftedKey(new PgpKeyPair(PublicKeyAlgorithmTag.EdDsa_Legacy, generator.GenerateKeyPair(), created));
    }

    /// <summary>An RSA key of 1024 bits (small, to be made fast) under either of RSA's algorithm numbers.</summary>
    public static CraftedKey NewRsa(DateTime created, PublicKeyAlgorithmTag algorithm)
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new RsaKeyGenerationParameters(Org.BouncyCastle.Math.BigInteger.ValueOf(0x10001), new SecureRandom(), 1024, 25));
        return new CraftedKey(new PgpKeyPair(algorithm, generator.GenerateKeyPair(), created));
    }

    /// <summary>An ECDSA P-256 key: an algorithm eliloader does not check signatures of.</summary>
    public static CraftedKey NewEcdsa(DateTime created)
    {
        var generator = new ECKeyPairGenerator("ECDSA");
        generator.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1, new SecureRandom()));
        return new CraftedKey(new PgpKeyPair(PublicKeyAlgorithmTag.ECDsa, generator.GenerateKeyPair(), created));
    }

    /// <summary>A document signature over <paramref name="data"/>, made at <paramref name="at"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data, DateTime at, HashAlgorithmTag hash = HashAlgorithmTag.Sha256, int type = PgpSignature.BinaryDocument,
        Action<PgpSignatureSubpacketGenerator>? subpackets = null)
    {
        var generator = Generator(type, at, hash, subpackets);
        generator.Update(data.ToArray());
        return generator.Generate().GetEncoded();
    }

    /// <summary>A certification of a user ID of <paramref name="primary"/> (this key certifying it).</summary>
    public PgpSignature CertifyUserId(CraftedKey primary, string userId, DateTime at, Action<PgpSignatureSubpacketGenerator>? subpackets = null, int type = PgpSignature.PositiveCertification) =>
        Generator(type, at, HashAlgorithmTag.Sha256, subpackets).GenerateCertification(userId, primary.Public);

    /// <summary>A signature over a key alone: a direct-key signature or a key revocation.</summary>
    public PgpSignature CertifyKey(CraftedKey key, int type, DateTime at, Action<PgpSignatureSubpacketGenerator>? subpackets = null) =>
        Generator(type, at, HashAlgorithmTag.Sha256, subpackets).GenerateCertification(key.Public);

    /// <summary>A signature over a primary key and a subkey: a binding, a subkey revocation or a back-signature.</summary>
    public PgpSignature CertifySubkey(CraftedKey primary, CraftedKey subkey, int type, DateTime at, Action<PgpSignatureSubpacketGenerator>? subpackets = null) =>
        Generator(type, at, HashAlgorithmTag.Sha256, subpackets).GenerateCertification(primary.Public, subkey.Public);

    private PgpSignatureGenerator Generator(int type, DateTime at, HashAlgorithmTag hash, Action<PgpSignatureSubpacketGenerator>? subpackets)
    {
        var generator = new PgpSignatureGenerator(Pair.PublicKey.Algorithm, hash);
        generator.InitSign(type, Pair.PrivateKey);
        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, at);
        subpackets?.Invoke(hashed);
        generator.SetHashedSubpackets(hashed.Generate());
        return generator;
    }
}

/// <summary>
/// A transferable public key written packet by packet, in the order RFC 4880 section
/// 11.1 gives: the primary key and its own signatures, user IDs with their
/// certifications, subkeys with theirs.
/// </summary>
internal sealed class CraftedRing(CraftedKey primary)
{
    private const int UserIdTag = 13;
    private const int PublicSubkeyTag = 14;

    private readonly List<PgpSignature> keySignatures = [];
    private readonly List<(string Id, PgpSignature[] Certifications)> userIds = [];
    private readonly List<(CraftedKey Key, PgpSignature[] Signatures)> subkeys = [];

    public CraftedKey Primary => primary;

    /// <summary>The usual key: a user ID self-certified at the key's creation, with the given key flags and lifetime.</summary>
    public static CraftedRing Usual(CraftedKey primary, int flags = PgpKeyFlags.CanCertify | PgpKeyFlags.CanSign, long lifetime = 0) =>
        new CraftedRing(primary).UserId("Crafted <crafted@example.org>",
            primary.CertifyUserId(primary, "Crafted <crafted@example.org>", primary.Created, s => Flags(s, flags, lifetime)));

    /// <summary>Key flags and a key lifetime in seconds (0: none stated) for a self-signature or binding.</summary>
    public static void Flags(PgpSignatureSubpacketGenerator subpackets, int flags, long lifetime)
    {
        subpackets.SetKeyFlags(false, flags);
        if (lifetime > 0)
            subpackets.SetKeyExpirationTime(false, lifetime);
    }

    /// <summary>A signing subkey bound the way gpg binds one: key flags, lifetime, and the subkey's back-signature embedded.</summary>
    public CraftedRing SigningSubkey(CraftedKey subkey, long lifetime = 0, DateTime? at = null)
    {
        var when = at ?? subkey.Created;
        var back = subkey.CertifySubkey(primary, subkey, PgpSignature.PrimaryKeyBinding, when);
        return Subkey(subkey, primary.CertifySubkey(primary, subkey, PgpSignature.SubkeyBinding, when, s =>
        {
            Flags(s, PgpKeyFlags.CanSign, lifetime);
            s.AddEmbeddedSignature(false, back);
        }));
    }

    public CraftedRing KeySignature(PgpSignature signature)
    {
        keySignatures.Add(signature);
        return this;
    }

    public CraftedRing UserId(string id, params PgpSignature[] certifications)
    {
        userIds.Add((id, certifications));
        return this;
    }

    public CraftedRing Subkey(CraftedKey subkey, params PgpSignature[] signatures)
    {
        subkeys.Add((subkey, signatures));
        return this;
    }

    public byte[] Bytes()
    {
        var output = new MemoryStream();
        output.Write(primary.Public.GetEncoded());
        keySignatures.ForEach(s => output.Write(s.GetEncoded()));
        foreach (var (id, certifications) in userIds)
        {
            Packet(output, UserIdTag, System.Text.Encoding.UTF8.GetBytes(id));
            certifications.ToList().ForEach(s => output.Write(s.GetEncoded()));
        }
        foreach (var (key, signatures) in subkeys)
        {
            Packet(output, PublicSubkeyTag, key.Public.PublicKeyPacket.GetEncodedContents());
            signatures.ToList().ForEach(s => output.Write(s.GetEncoded()));
        }
        return output.ToArray();
    }

    /// <summary>A new-format packet (RFC 4880 section 4.2.2) with a five-octet length.</summary>
    private static void Packet(Stream output, int tag, byte[] body)
    {
        output.WriteByte((byte)(0xC0 | tag));
        output.WriteByte(0xFF);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, body.Length);
        output.Write(length);
        output.Write(body);
    }
}
