using Eliloader.Errors;
using Eliloader.Formats;
using Eliloader.Repositories;

namespace Eliloader.Verification;

/// <summary>
/// A tree's small metadata files (checksum lists, Release files, signatures) are read
/// whole, within a bound, since they are hashed, checked and parsed in turn. A file
/// that cannot be read, or is larger than its bound, is INVALID_SOURCE naming it.
/// </summary>
public static class MetadataFile
{
    public static byte[] Read(IRepository repository, string path, int limit)
    {
        try
        {
            using var file = repository.Open(path);
            using var bounded = new BoundedReadStream(file.Content, limit);
            var copy = new MemoryStream();
            bounded.CopyTo(copy);
            return copy.ToArray();
        }
        catch (SourceUnavailableException e)
        {
            throw new ApiError(ApiError.InvalidSource, $"Unable to read {e.Url}: {e.Reason}.");
        }
        catch (LimitExceededException e)
        {
            throw Unreadable(repository, path, e.Message);
        }
    }

    public static ApiError Unreadable(IRepository repository, string path, string why) =>
        new(ApiError.InvalidSource, $"{repository.Describe(path)} cannot be read: {why}.");
}
