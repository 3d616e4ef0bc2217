using System.Globalization;
using Eliloader.Repositories;

namespace Eliloader.Cache;

/// <summary>
/// What the cache knows of one URL: the digest naming its content file, its size, the
/// validators its source gave, when it was fetched and when its source last confirmed
/// it current. Stored as "key=value" lines; the entry file's modification time is when
/// it was last used.
/// </summary>
public sealed record CacheEntry(string Url, string Sha256, string? Md5, long Length, Validators? Validators, DateTimeOffset Fetched, DateTimeOffset Validated)
{
    public static CacheEntry? Parse(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var equals = line.IndexOf('=');
            if (equals > 0)
                values[line[..equals]] = line[(equals + 1)..];
        }
        return values.TryGetValue("url", out var url)
            && values.TryGetValue("sha256", out var sha256) && sha256.Length == 64 && sha256.All(char.IsAsciiHexDigitLower)
            && values.TryGetValue("length", out var lengthText) && long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            && values.TryGetValue("fetched", out var fetchedText) && long.TryParse(fetchedText, NumberStyles.None, CultureInfo.InvariantCulture, out var fetched)
            ? new CacheEntry(url, sha256, values.GetValueOrDefault("md5"), length,
                Validators.Of(values.GetValueOrDefault("etag"), values.GetValueOrDefault("last-modified")),
                DateTimeOffset.FromUnixTimeSeconds(fetched),
                // An entry written before validations were recorded was last validated when it was fetched.
                Milliseconds(values.GetValueOrDefault("validated")) ?? DateTimeOffset.FromUnixTimeSeconds(fetched))
            : null;
    }

    public IEnumerable<string> Lines()
    {
        yield return "url=" + Url;
        yield return "sha256=" + Sha256;
        if (Md5 is not null)
            yield return "md5=" + Md5;
        yield return "length=" + Length.ToString(CultureInfo.InvariantCulture);
        if (Validators?.ETag is { } etag)
            yield return "etag=" + etag;
        if (Validators?.LastModified is { } lastModified)
            yield return "last-modified=" + lastModified;
        yield return "fetched=" + Fetched.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        yield return "validated=" + Validated.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Whether the source confirmed this version less than <paramref name="window"/> ago.
    /// A time ahead of the clock (another host of the pool, its clock ahead) counts as old.
    /// </summary>
    public bool ValidatedWithin(TimeSpan window, DateTimeOffset now) => now >= Validated && now - Validated < window;

    private static DateTimeOffset? Milliseconds(string? milliseconds) =>
        long.TryParse(milliseconds, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    /// <summary>A value with a line break (from a hostile server) could forge other keys, so such an entry is never written.</summary>
    public bool Storable => Lines().All(line => !line.Any(char.IsControl));
}
