using Eliloader.Errors;
using Eliloader.Families;
using Eliloader.Formats;
using Eliloader.Repositories;

namespace Eliloader.Verification;

/// <summary>A digest a mirror publishes for a file, and the URL of the list that says so.</summary>
public sealed record PublishedChecksum(Digest Digest, string ListUrl);

/// <summary>
/// The digests a repository publishes for its boot files, from the lists its family
/// names, read once each on first need. The first list that exists and names a file
/// decides for it; a file no list names is not checked (most trees publish nothing).
/// </summary>
public sealed class PublishedChecksums(IRepository repository, IReadOnlyList<ChecksumList> lists, Action<string> log)
{
    private readonly Dictionary<ChecksumList, IReadOnlyDictionary<string, Digest>?> read = [];

    /// <summary>The lists the family names for the files it located.</summary>
    public static PublishedChecksums For(IRepository repository, DistroFamily family, BootFilePaths located, Action<string> log) =>
        new(repository, family.ChecksumLists(located).ToList(), log);

    public PublishedChecksum? For(string path)
    {
        foreach (var list in lists)
        {
            if (Entries(list) is { } entries && entries.TryGetValue(path, out var digest))
                return new PublishedChecksum(digest, repository.Describe(list.Path));
        }
        log($"{repository.Describe(path)}: no published checksum");
        return null;
    }

    private IReadOnlyDictionary<string, Digest>? Entries(ChecksumList list)
    {
        if (read.TryGetValue(list, out var known))
            return known;
        IReadOnlyDictionary<string, Digest>? entries = null;
        if (repository.Exists(list.Path))
        {
            var url = repository.Describe(list.Path);
            try
            {
                using var file = repository.Open(list.Path);
                var listed = new Dictionary<string, Digest>(StringComparer.Ordinal);
                foreach (var (path, digest) in list.Read(file.Content))
                    listed[path] = digest;
                entries = listed;
                log($"{url}: {listed.Count} published checksums");
            }
            catch (SourceUnavailableException e)
            {
                throw new ApiError(ApiError.InvalidSource, $"Unable to read the checksum list {e.Url}: {e.Reason}.");
            }
            catch (Exception e) when (e is InvalidDataException or LimitExceededException)
            {
                throw new ApiError(ApiError.InvalidSource, $"The checksum list {url} cannot be read: {e.Message}.");
            }
        }
        read[list] = entries;
        return entries;
    }
}
