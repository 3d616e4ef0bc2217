using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Eliloader.Formats.OpenPgp;

/// <summary>
/// Checks OpenPGP document signatures (detached, or the signature block of a
/// clearsigned text) against a keyring. Each signature gets its own verdict; whether
/// a file is trusted is the caller's rule (at least one that counts).
/// </summary>
public static class SignatureChecker
{
    /// <summary>A signature file is small: a few signature packets.</summary>
    public const int MaxSignatures = 32;

    /// <param name="signature">Signature packets, binary or armored.</param>
    /// <param name="signed">The bytes the signatures cover (for a clearsigned text, its canonical form).</param>
    public static IReadOnlyList<SignatureCheck> Check(byte[] signature, ReadOnlySpan<byte> signed, Keyring keyring, SignatureRules rules)
    {
        var checks = new List<SignatureCheck>();
        foreach (var item in PacketReader.Objects(PacketReader.Binary(signature, ClearsignedText.SignatureLabel), MaxSignatures))
        {
            if (item is not PgpSignatureList list)
                throw new InvalidDataException("the signature holds OpenPGP data other than signatures");
            if (checks.Count + list.Count > MaxSignatures)
                throw new InvalidDataException($"more than {MaxSignatures} signatures");
            for (var i = 0; i < list.Count; i++)
                checks.Add(Check(list[i], signed, keyring, rules));
        }
        if (checks.Count == 0)
            throw new InvalidDataException("the signature holds no signature packet");
        return checks;
    }

    private static SignatureCheck Check(PgpSignature signature, ReadOnlySpan<byte> signed, Keyring keyring, SignatureRules rules)
    {
        // BouncyCastle takes the signer's key ID from the issuer subpacket, else from the
        // last eight bytes of the issuer fingerprint subpacket (signers named only so).
        var keyId = KeyId.Format(signature.KeyId);
        var created = signature.CreationTime;
        var hash = HashName(signature.HashAlgorithm);
        SignatureCheck Verdict(SignatureVerdict verdict, string reason, KeyringMatch? match = null) =>
            new(verdict, keyId, created, hash, reason,
                match is null ? null : KeyId.Fingerprint(match.Key),
                match?.Primary.GetUserIds().FirstOrDefault(),
                match?.Source);

        if (signature.SignatureType is not (PgpSignature.BinaryDocument or PgpSignature.CanonicalTextDocument))
            return Verdict(SignatureVerdict.Unsupported, $"signature type 0x{signature.SignatureType:x2} is not a document signature");
        if (!SupportedAlgorithm(signature.KeyAlgorithm))
            return Verdict(SignatureVerdict.Unsupported, $"public-key algorithm {(int)signature.KeyAlgorithm} is not supported (RSA and Ed25519 are)");
        if (HashRefusal(signature.HashAlgorithm, created, rules) is { } refusal)
            return Verdict(SignatureVerdict.WeakHash, refusal);
        var match = keyring.Find(signature.KeyId);
        if (match is null)
            return Verdict(SignatureVerdict.UnknownKey, $"key {keyId} is in no keyring");
        if (KeyRefusal(match, created) is var (verdict, reason))
            return Verdict(verdict, reason, match);
        bool verified;
        try
        {
            signature.InitVerify(match.Key);
            signature.Update(signed);
            verified = signature.Verify();
        }
        catch (Exception e) when (e is PgpException or IOException or ArgumentException or InvalidOperationException)
        {
            verified = false;
        }
        return verified
            ? Verdict(SignatureVerdict.Good, "good signature", match)
            : Verdict(SignatureVerdict.Bad, "the signature does not match the signed text", match);
    }

    /// <summary>Why the signer's key cannot vouch for a signature made at <paramref name="created"/>, or null when it can.</summary>
    private static (SignatureVerdict, string)? KeyRefusal(KeyringMatch match, DateTime created)
    {
        var keyId = KeyId.Format(match.Key.KeyId);
        var primary = KeyState.Of(match.Primary, match.Primary);
        var key = match.Key.IsMasterKey ? primary : KeyState.Of(match.Primary, match.Key);
        if (primary.Revoked || key.Revoked)
            return (SignatureVerdict.Revoked, primary.Revoked ? $"key {KeyId.Format(match.Primary.KeyId)} is revoked" : $"subkey {keyId} is revoked");
        if (!primary.Bound || !key.Bound || !key.CanSign)
            return (SignatureVerdict.NotSigningKey, $"key {keyId} has no valid self-signature or binding that lets it sign");
        if (created < key.Created)
            return (SignatureVerdict.NotYetValid, $"made {Date(created)}, before key {keyId} was created ({Date(key.Created)})");
        foreach (var (state, id) in new[] { (primary, KeyId.Format(match.Primary.KeyId)), (key, keyId) })
        {
            if (state.Expires is { } expires && created >= expires)
                return (SignatureVerdict.Expired, $"made {Date(created)}, after key {id} expired ({Date(expires)})");
        }
        return null;
    }

    private static string? HashRefusal(HashAlgorithmTag hash, DateTime created, SignatureRules rules) => hash switch
    {
        HashAlgorithmTag.Sha224 or HashAlgorithmTag.Sha256 or HashAlgorithmTag.Sha384 or HashAlgorithmTag.Sha512 => null,
        HashAlgorithmTag.Sha1 when rules.Sha1Before is { } before && created < before => null,
        HashAlgorithmTag.Sha1 => rules.Sha1Before is { } before
            ? $"a SHA-1 signature made {Date(created)}, and SHA-1 signatures count only when made before {Date(before)}"
            : "a SHA-1 signature, and SHA-1 signatures do not count",
        _ => $"hash {HashName(hash)} is not accepted",
    };

    private static bool SupportedAlgorithm(PublicKeyAlgorithmTag algorithm) =>
        algorithm is PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaSign or PublicKeyAlgorithmTag.EdDsa_Legacy or PublicKeyAlgorithmTag.Ed25519;

    public static string HashName(HashAlgorithmTag hash) => hash switch
    {
        HashAlgorithmTag.MD5 => "MD5",
        HashAlgorithmTag.Sha1 => "SHA1",
        HashAlgorithmTag.RipeMD160 => "RIPEMD160",
        HashAlgorithmTag.Sha224 => "SHA224",
        HashAlgorithmTag.Sha256 => "SHA256",
        HashAlgorithmTag.Sha384 => "SHA384",
        HashAlgorithmTag.Sha512 => "SHA512",
        var other => $"algorithm {(int)other}",
    };

    private static string Date(DateTime time) => time.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
