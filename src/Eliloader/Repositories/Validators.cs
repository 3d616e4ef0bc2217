namespace Eliloader.Repositories;

/// <summary>
/// What a source says identifies one version of a file: an HTTP entity tag and
/// Last-Modified date, or a local file's modification time and size. The image cache
/// keeps them to ask later whether its copy is still current.
/// </summary>
public sealed record Validators(string? ETag, string? LastModified)
{
    /// <summary>Null when the source gave nothing to compare with later.</summary>
    public static Validators? Of(string? etag, string? lastModified) =>
        etag is null && lastModified is null ? null : new Validators(etag, lastModified);
}
