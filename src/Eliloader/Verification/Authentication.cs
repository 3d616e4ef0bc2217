using Eliloader.Formats.OpenPgp;

namespace Eliloader.Verification;

/// <summary>
/// How far the signature chain reached a checksum list. <see cref="Chain"/> says it in
/// words (for the log and diagnose); <see cref="Signatures"/> are the checks of the
/// signed file on the way, with the file's URL.
/// </summary>
public sealed record Authentication(bool Verified, string Chain, string? SignedFile = null, IReadOnlyList<SignatureCheck>? Signatures = null)
{
    public static Authentication Unverified(string why) => new(false, why);
}
