using Eliloader.Configuration;
using Eliloader.Errors;
using Eliloader.Families;
using Eliloader.Install;
using Eliloader.Repositories;

namespace Eliloader.Verification;

/// <summary>A digest a mirror publishes for a file, the URL of the list that says so, and how far a signature vouches for that list.</summary>
public sealed record PublishedChecksum(Digest Digest, string ListUrl, Authentication Authentication);

/// <summary>
/// The digests a repository publishes for its boot files, from the lists its family
/// names, each read once on first need and followed up its signature chain. The first
/// list that exists and names a file decides for it. Under signatures = require a file
/// no verified chain reaches is INVALID_SOURCE; under verify it is fetched with a
/// warning (most trees of the fixture kind publish no signature at all).
/// </summary>
public sealed class PublishedChecksums(IRepository repository, IReadOnlyList<ChecksumList> lists, TreeAuthenticator authenticator,
    SignaturesSetting policy, Action<string> log)
{
    private readonly Dictionary<ChecksumList, (IReadOnlyDictionary<string, Digest> Entries, Authentication How)?> read = [];

    /// <summary>The lists the family names for the files it located, checked as the configuration says.</summary>
    public static PublishedChecksums For(IRepository repository, DistroFamily family, InstallRequest request, BootFilePaths located, Settings settings, Action<string> log) =>
        new(repository, family.ChecksumLists(request, located).ToList(), new TreeAuthenticator(repository, settings, log), settings.Signatures, log);

    public PublishedChecksum? For(string path)
    {
        var url = repository.Describe(path);
        foreach (var list in lists)
        {
            if (Entries(list) is var (entries, how) && entries.TryGetValue(path, out var digest))
            {
                Enforce(url, how);
                return new PublishedChecksum(digest, repository.Describe(list.Path), how);
            }
        }
        log($"{url}: no published checksum");
        Enforce(url, Authentication.Unverified("no checksum list names it"));
        return null;
    }

    /// <summary>What the policy makes of a file whose chain ends short of a signature.</summary>
    private void Enforce(string url, Authentication how)
    {
        if (how.Verified || policy == SignaturesSetting.Off)
            return;
        if (policy == SignaturesSetting.Require)
            throw new ApiError(ApiError.InvalidSource, $"No verified signature vouches for {url} (signatures = require): {how.Chain}.");
        log($"WARNING: {url} is not authenticated by a signature: {how.Chain}");
    }

    private (IReadOnlyDictionary<string, Digest>, Authentication)? Entries(ChecksumList list)
    {
        if (read.TryGetValue(list, out var known))
            return known;
        (IReadOnlyDictionary<string, Digest>, Authentication)? result = null;
        if (repository.Exists(list.Path))
        {
            var url = repository.Describe(list.Path);
            var content = MetadataFile.Read(repository, list.Path, ChecksumList.MaxBytes);
            var how = authenticator.Authenticate(list, content);
            var listed = new Dictionary<string, Digest>(StringComparer.Ordinal);
            try
            {
                foreach (var (path, digest) in list.Read(new MemoryStream(content)))
                    listed[path] = digest;
            }
            catch (InvalidDataException e)
            {
                throw MetadataFile.Unreadable(repository, list.Path, e.Message);
            }
            log($"{url}: {listed.Count} published checksums; {(how.Verified ? "verified: " : "not verified: ")}{how.Chain}");
            result = (listed, how);
        }
        read[list] = result;
        return result;
    }
}
