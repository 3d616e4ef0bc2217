using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Eliloader.Formats.OpenPgp;

/// <summary>How keys are named to people: the 16-digit long key ID and the 40-digit fingerprint, upper-case hex as gpg prints them.</summary>
public static class KeyId
{
    public static string Format(long keyId) => ((ulong)keyId).ToString("X16", System.Globalization.CultureInfo.InvariantCulture);

    public static string Fingerprint(PgpPublicKey key) => Convert.ToHexString(key.GetFingerprint());
}
