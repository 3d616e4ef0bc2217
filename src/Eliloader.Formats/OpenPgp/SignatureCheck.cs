namespace Eliloader.Formats.OpenPgp;

/// <summary>What checking one signature found.</summary>
public enum SignatureVerdict
{
    /// <summary>Made by a usable key of the keyring, and it matches the signed bytes.</summary>
    Good,

    /// <summary>The keyring's key does not verify it over these bytes: the text or the signature was changed.</summary>
    Bad,

    /// <summary>No key of the keyring has the signer's key ID.</summary>
    UnknownKey,

    /// <summary>The key (or its primary key) is revoked: it never counts, whenever the signature was made.</summary>
    Revoked,

    /// <summary>Made after the key expired (a signature made while it was valid still counts).</summary>
    Expired,

    /// <summary>Made before the key existed.</summary>
    NotYetValid,

    /// <summary>The key has no valid self-signature or binding, or is not allowed to sign.</summary>
    NotSigningKey,

    /// <summary>A hash the rules do not accept (MD5, RIPEMD-160, SHA-1 outside what the rules allow).</summary>
    WeakHash,

    /// <summary>A public-key algorithm or signature type that is not checked here.</summary>
    Unsupported,
}

/// <summary>One signature and what became of it: who made it (key ID, and when the key is known, its fingerprint, user ID and keyring file), when, and why it counts or not.</summary>
public sealed record SignatureCheck(
    SignatureVerdict Verdict,
    string KeyId,
    DateTime Created,
    string Hash,
    string Reason,
    string? Fingerprint = null,
    string? UserId = null,
    string? Keyring = null)
{
    public bool Counts => Verdict == SignatureVerdict.Good;

    /// <summary>The signer as people read it: key ID, and user ID when known.</summary>
    public string Signer => UserId is null ? $"key {KeyId}" : $"key {KeyId} ({UserId})";
}

/// <summary>Which hashes a signature may use. SHA-2 always; SHA-1 only for signatures made before <paramref name="Sha1Before"/>, when set.</summary>
/// <param name="Sha1Before">
/// A SHA-1 signature made before this date counts: an archived release was signed long
/// before chosen-prefix collisions on SHA-1 could be made, and its signature's date
/// is inside what the signer signed. Null: SHA-1 never counts.
/// </param>
public sealed record SignatureRules(DateTime? Sha1Before);
