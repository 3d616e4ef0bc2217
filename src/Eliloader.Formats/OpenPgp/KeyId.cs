using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Eliloader.Formats.OpenPgp;

/// <summary>How keys are named to people: the 16-digit long key ID and the 40-digit fingerprint, upper-case hex as gpg prints them.</summary>
public static class KeyId
{
    public static string Format(long keyId) => ((ulong)keyId).ToString("X16", System.Globalization.CultureInfo.InvariantCulture);

    public static string Fingerprint(PgpPublicKey key) => Convert.ToHexString(key.GetFingerprint());

    /// <summary>The signer's key ID: the issuer subpacket, else the last eight bytes of the issuer fingerprint.</summary>
    public static long Issuer(PgpSignature signature)
    {
        if (signature.KeyId != 0)
            return signature.KeyId;
        var fingerprint = signature.GetHashedSubPackets()?.GetIssuerFingerprint()?.GetFingerprint()
            ?? signature.GetUnhashedSubPackets()?.GetIssuerFingerprint()?.GetFingerprint();
        return fingerprint is { Length: >= 8 } bytes
            ? (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(bytes.Length - 8))
            : 0;
    }
}
