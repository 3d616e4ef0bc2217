using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Eliloader.Formats.OpenPgp;

/// <summary>A subkey as `eliloader keys list` shows it.</summary>
public sealed record SubkeyDescription(string KeyId, string Fingerprint, DateTime Created, DateTime? Expires, bool Revoked, bool CanSign);

/// <summary>A key as `eliloader keys list` shows it: the file it came from, who it names, and until when it is valid.</summary>
public sealed record KeyDescription(string Source, string KeyId, string Fingerprint, string Algorithm, IReadOnlyList<string> UserIds,
    DateTime Created, DateTime? Expires, bool Revoked, IReadOnlyList<SubkeyDescription> Subkeys);

/// <summary>The key that made a signature, with its primary key and the file it came from.</summary>
internal sealed record KeyringMatch(string Source, PgpPublicKey Primary, PgpPublicKey Key);

/// <summary>
/// The public keys signatures are checked against: transferable public keys from
/// binary (.gpg) or armored (.asc) files, each remembered with its file's name.
/// </summary>
public sealed class Keyring
{
    /// <summary>At most this many keys (with their subkeys, user IDs and certificates) per file.</summary>
    public const int MaxObjectsPerFile = 4096;

    /// <summary>BouncyCastle's switch that skips its primality test of RSA moduli.</summary>
    private const string TrustModuli = "Org.BouncyCastle.Rsa.AllowUnsafeModulus";

    private readonly List<(string Source, PgpPublicKeyRing Ring)> rings = [];

    /// <summary>
    /// Every RSA key BouncyCastle builds from a key packet gets a Miller-Rabin test of its
    /// modulus, which costs about a second of CPU for a 4096-bit key in its managed
    /// arithmetic (measured: 1.2 s for one Debian archive key, 12 s for the whole
    /// keyring), on every VM start. The keys here are the administrator's own, never a
    /// mirror's, so that defence against a crafted key buys nothing: it is switched off
    /// (BouncyCastle reads the switch from the environment), once the first keyring is made.
    /// </summary>
    public Keyring() => Environment.SetEnvironmentVariable(TrustModuli, "true");

    /// <summary>Adds a file's keys; a file that holds anything but public keys is refused whole.</summary>
    public void Add(string source, byte[] data)
    {
        var packets = PacketReader.Binary(data, "PUBLIC KEY BLOCK");
        var added = new List<PgpPublicKeyRing>();
        foreach (var item in PacketReader.Objects(packets, MaxObjectsPerFile))
        {
            if (item is not PgpPublicKeyRing ring)
                throw new InvalidDataException($"{source}: holds OpenPGP data other than public keys");
            added.Add(ring);
        }
        if (added.Count == 0)
            throw new InvalidDataException($"{source}: no public key");
        rings.AddRange(added.Select(ring => (source, ring)));
    }

    public int Count => rings.Count;

    internal KeyringMatch? Find(long keyId)
    {
        foreach (var (source, ring) in rings)
        {
            if (ring.GetPublicKey(keyId) is { } key)
                return new KeyringMatch(source, ring.GetPublicKey(), key);
        }
        return null;
    }

    public IReadOnlyList<KeyDescription> Describe() => rings.Select(r => Describe(r.Source, r.Ring)).ToList();

    private static KeyDescription Describe(string source, PgpPublicKeyRing ring)
    {
        var primary = ring.GetPublicKey();
        var state = KeyState.Of(primary, primary);
        var subkeys = ring.GetPublicKeys().Where(k => !k.IsMasterKey).Select(k =>
        {
            var sub = KeyState.Of(primary, k);
            return new SubkeyDescription(KeyId.Format(k.KeyId), KeyId.Fingerprint(k), sub.Created, sub.Expires, sub.Revoked, sub.Bound && sub.CanSign);
        }).ToList();
        return new KeyDescription(source, KeyId.Format(primary.KeyId), KeyId.Fingerprint(primary), AlgorithmName(primary),
            primary.GetUserIds().ToList(), state.Created, state.Expires, state.Revoked, subkeys);
    }

    internal static string AlgorithmName(PgpPublicKey key) => key.Algorithm switch
    {
        PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaSign => $"rsa{key.BitStrength}",
        PublicKeyAlgorithmTag.EdDsa_Legacy or PublicKeyAlgorithmTag.Ed25519 => "ed25519",
        PublicKeyAlgorithmTag.Ed448 => "ed448",
        PublicKeyAlgorithmTag.Dsa => $"dsa{key.BitStrength}",
        var other => $"algorithm {(int)other}",
    };
}
