using System.Text;
using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Formats.Debian;
using Eliloader.Formats.OpenPgp;
using Eliloader.Repositories;

namespace Eliloader.Verification;

/// <summary>
/// Follows the signature chain from a tree's signed file to a checksum list: a Debian
/// Release file (InRelease, else Release + Release.gpg) that lists the list's digest,
/// or the list's own detached signature. A signature that is present must hold: when no
/// signature counts (bad, unknown key, revoked, expired, weak hash) the boot fails with
/// INVALID_SOURCE naming the file, the key IDs and why. A tree that signs nothing gets an
/// unverified <see cref="Authentication"/>; what follows from that is the policy's business.
/// Keyrings are read on the first signature checked.
/// </summary>
public sealed class TreeAuthenticator(IRepository repository, Settings settings, Action<string> log)
{
    /// <summary>Debian's InRelease is about 150 KB, Ubuntu's 250 KB.</summary>
    public const int MaxReleaseBytes = 8 << 20;
    public const int MaxSignatureBytes = 64 << 10;

    private readonly Dictionary<string, (ReleaseFile? Release, Authentication How)> releases = new(StringComparer.Ordinal);
    private TrustedKeys? keys;

    public Authentication Authenticate(ChecksumList list, byte[] content) =>
        settings.Signatures == SignaturesSetting.Off
            ? Authentication.Unverified("signatures are not checked (signatures = off)")
            : list.Authority switch
            {
                ReleaseFileAuthority release => ListedInRelease(list.Path, content, release.Directory),
                DetachedSignatureAuthority detached => repository.Exists(detached.SignaturePath)
                    ? Checked(list.Path, detached.SignaturePath, Read(detached.SignaturePath, MaxSignatureBytes), content)
                    : Authentication.Unverified($"{repository.Describe(list.Path)} is not signed: {repository.Describe(detached.SignaturePath)} is missing"),
                NoAuthority none => Authentication.Unverified(none.Why),
                _ => throw new InvalidOperationException("unknown list authority"),
            };

    private Authentication ListedInRelease(string path, byte[] content, string directory)
    {
        var (release, how) = Release(directory);
        if (release is null)
            return how;
        var relative = RelativeTo(directory, path);
        var listed = release.For(relative);
        if (listed.Count == 0)
            return Authentication.Unverified($"{how.SignedFile} is signed but does not list {relative}");
        var entry = listed[0];
        var algorithm = AlgorithmOf(entry.Field);
        using var hash = Digest.NewHash(algorithm);
        hash.AppendData(content);
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != entry.Hex || content.LongLength != entry.Size)
            throw new ApiError(ApiError.InvalidSource,
                $"{repository.Describe(path)} does not match what the signed {how.SignedFile} lists for it: {entry.Field} {entry.Hex} and {entry.Size} bytes listed, {actual} and {content.LongLength} bytes received.");
        return how with { Chain = $"{how.Chain}; it lists {relative} ({entry.Field}, which matches)" };
    }

    private (ReleaseFile? Release, Authentication How) Release(string directory)
    {
        if (!releases.TryGetValue(directory, out var known))
            releases[directory] = known = ReadRelease(directory);
        return known;
    }

    private (ReleaseFile?, Authentication) ReadRelease(string directory)
    {
        var inRelease = directory + "InRelease";
        if (repository.Exists(inRelease))
        {
            ClearsignedText message;
            try
            {
                message = ClearsignedText.Parse(Text(Read(inRelease, MaxReleaseBytes)));
            }
            catch (InvalidDataException e)
            {
                throw Unreadable(inRelease, e.Message);
            }
            var how = Checked(inRelease, inRelease, message.Signature, message.SignedBytes());
            return (Parse(inRelease, message.Text), how);
        }
        var release = directory + "Release";
        var signature = release + ".gpg";
        if (!repository.Exists(release))
            return (null, Authentication.Unverified($"the tree publishes no signature: {repository.Describe(directory)} has no InRelease or Release"));
        if (!repository.Exists(signature))
            return (null, Authentication.Unverified($"the tree publishes no signature: {repository.Describe(release)} has no InRelease or Release.gpg beside it"));
        var bytes = Read(release, MaxReleaseBytes);
        var checkedRelease = Checked(release, signature, Read(signature, MaxSignatureBytes), bytes);
        return (Parse(release, Text(bytes)), checkedRelease);
    }

    /// <summary>The signatures over a file; at least one must count, or the boot fails naming each signer and why.</summary>
    private Authentication Checked(string signedPath, string signaturePath, byte[] signature, ReadOnlySpan<byte> signed)
    {
        var signedUrl = repository.Describe(signedPath);
        var signatureUrl = repository.Describe(signaturePath);
        keys ??= TrustedKeys.Load(settings.KeyringDir, log);
        IReadOnlyList<SignatureCheck> checks;
        try
        {
            checks = SignatureChecker.Check(signature, signed, keys.Keyring, new SignatureRules(settings.Sha1SignaturesBefore));
        }
        catch (InvalidDataException e)
        {
            throw Unreadable(signaturePath, e.Message);
        }
        checks = checks.Select(c => c.Verdict == SignatureVerdict.UnknownKey ? c with { Reason = $"key {c.KeyId} is in no keyring of {settings.KeyringDir}" } : c).ToList();
        foreach (var check in checks)
            log($"{signatureUrl}: signature by {check.Signer}, made {check.Created:yyyy-MM-dd HH:mm}Z with {check.Hash}: {check.Reason}" + (check.Keyring is { } file ? $" (keyring {file})" : ""));
        var good = checks.FirstOrDefault(c => c.Counts)
            ?? throw new ApiError(ApiError.InvalidSource,
                $"The signature {signatureUrl} of {signedUrl} is not valid: {string.Join("; ", checks.Select(c => $"{c.Signer}: {c.Reason}"))}.");
        return new Authentication(true, $"{signedUrl} is signed by {good.Signer} from {good.Keyring}", signedUrl, checks);
    }

    private ReleaseFile Parse(string path, string text)
    {
        try
        {
            return ReleaseFile.Parse(text);
        }
        catch (InvalidDataException e)
        {
            throw Unreadable(path, e.Message);
        }
    }

    private byte[] Read(string path, int limit) => MetadataFile.Read(repository, path, limit);

    private ApiError Unreadable(string path, string why) => MetadataFile.Unreadable(repository, path, why);

    private static string Text(byte[] bytes) => new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(bytes);

    private static string AlgorithmOf(string field) => field switch
    {
        "SHA512" => Digest.Sha512,
        "SHA256" => Digest.Sha256,
        "SHA1" => Digest.Sha1,
        _ => Digest.Md5,
    };

    /// <summary>A tree path as the Release file in <paramref name="directory"/> names it ("../" for what lies above).</summary>
    public static string RelativeTo(string directory, string path) =>
        path.StartsWith(directory, StringComparison.Ordinal)
            ? path[directory.Length..]
            : string.Concat(Enumerable.Repeat("../", directory.Count(c => c == '/'))) + path;
}
