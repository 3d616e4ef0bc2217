using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Eliloader.Formats.OpenPgp;

/// <summary>
/// What a key's own certificates say about it, each one checked before it counts: a
/// primary key by its user ID self-certifications and its revocations (direct-key
/// self-signatures are not counted: BouncyCastle 2.7 cannot verify them, and Debian's
/// keys carry one that states no expiry, which gpg merges with the user ID's); a subkey by the primary's binding signature (and, for a signing
/// subkey, the subkey's embedded back-signature, as gpg requires) and the primary's
/// revocations of it. The latest valid certificate gives the expiry and the key flags.
/// </summary>
/// <param name="Bound">A valid self-signature or binding exists; a key without one is unusable.</param>
/// <param name="Expires">When the key stops being valid; null when it never does.</param>
internal sealed record KeyState(bool Bound, bool CanSign, DateTime Created, DateTime? Expires, bool Revoked)
{
    private const int SignFlag = 0x02;
    private static readonly int[] UserIdCertifications =
        [PgpSignature.DefaultCertification, PgpSignature.NoCertification, PgpSignature.CasualCertification, PgpSignature.PositiveCertification];

    public static KeyState Of(PgpPublicKey primary, PgpPublicKey key) =>
        key.IsMasterKey ? Primary(key) : Subkey(primary, key);

    private static KeyState Primary(PgpPublicKey primary)
    {
        var certifications = new List<PgpSignature>();
        foreach (var userId in primary.GetUserIds())
        {
            certifications.AddRange(primary.GetSignaturesForId(userId).Where(s =>
                s.KeyId == primary.KeyId && UserIdCertifications.Contains(s.SignatureType) && Verifies(s, primary, v => v.VerifyCertification(userId, primary))));
        }
        var revoked = OfType(primary, PgpSignature.KeyRevocation).Any(s => Verifies(s, primary, v => v.VerifyCertification(primary)));
        return From(primary, Latest(certifications), revoked, backSigned: true);
    }

    private static KeyState Subkey(PgpPublicKey primary, PgpPublicKey subkey)
    {
        var bindings = OfType(subkey, PgpSignature.SubkeyBinding)
            .Where(s => s.KeyId == primary.KeyId && Verifies(s, primary, v => v.VerifyCertification(primary, subkey)))
            .ToList();
        var binding = Latest(bindings);
        var revoked = OfType(subkey, PgpSignature.SubkeyRevocation)
            .Any(s => s.KeyId == primary.KeyId && Verifies(s, primary, v => v.VerifyCertification(primary, subkey)));
        var backSigned = binding is not null && BackSignatures(binding)
            .Any(s => s.SignatureType == PgpSignature.PrimaryKeyBinding && Verifies(s, subkey, v => v.VerifyCertification(primary, subkey)));
        return From(subkey, binding, revoked, backSigned);
    }

    private static KeyState From(PgpPublicKey key, PgpSignature? certification, bool revoked, bool backSigned)
    {
        var hashed = certification?.GetHashedSubPackets();
        var lifetime = hashed?.GetKeyExpirationTime() ?? 0;
        var flags = hashed is not null && hashed.HasSubpacket(SignatureSubpacketTag.KeyFlags) ? hashed.GetKeyFlags() : SignFlag;
        return new KeyState(
            Bound: certification is not null,
            CanSign: (flags & SignFlag) != 0 && backSigned,
            Created: key.CreationTime,
            Expires: lifetime > 0 ? key.CreationTime.AddSeconds(lifetime) : null,
            Revoked: revoked);
    }

    private static IEnumerable<PgpSignature> BackSignatures(PgpSignature binding)
    {
        foreach (var area in new[] { binding.GetHashedSubPackets(), binding.GetUnhashedSubPackets() })
        {
            if (area is null)
                continue;
            PgpSignatureList embedded;
            try
            {
                embedded = area.GetEmbeddedSignatures();
            }
            catch (Exception e) when (e is PgpException or IOException)
            {
                continue;
            }
            for (var i = 0; i < embedded.Count; i++)
                yield return embedded[i];
        }
    }

    private static IEnumerable<PgpSignature> OfType(PgpPublicKey key, int type) => key.GetSignaturesOfType(type);

    private static PgpSignature? Latest(IEnumerable<PgpSignature> signatures) =>
        signatures.OrderByDescending(s => s.CreationTime).FirstOrDefault();

    /// <summary>Whether a certificate verifies with the given key; one that cannot be checked does not count.</summary>
    private static bool Verifies(PgpSignature signature, PgpPublicKey by, Func<PgpSignature, bool> verify)
    {
        try
        {
            signature.InitVerify(by);
            return verify(signature);
        }
        catch (Exception e) when (e is PgpException or IOException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
