namespace Eliloader.Verification;

/// <summary>What vouches for a checksum list: the signature chain that reaches it, if any.</summary>
public abstract record ListAuthority;

/// <summary>
/// A Debian archive's Release file in <paramref name="Directory"/> (InRelease, else
/// Release and Release.gpg) lists the checksum list's own digest; the Release's
/// paths are relative to that directory.
/// </summary>
public sealed record ReleaseFileAuthority(string Directory) : ListAuthority;

/// <summary>The list carries its own detached signature (a SUSE medium's content and content.asc).</summary>
public sealed record DetachedSignatureAuthority(string SignaturePath) : ListAuthority;

/// <summary>Nothing signs the list; <paramref name="Why"/> says so in the log and in diagnose.</summary>
public sealed record NoAuthority(string Why) : ListAuthority;
