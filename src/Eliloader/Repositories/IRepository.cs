namespace Eliloader.Repositories;

/// <summary>
/// Where an install tree lives. Families only ask whether a path exists and open it;
/// they never know whether the tree is a web server, an export or a medium.
/// </summary>
public interface IRepository : IDisposable
{
    /// <summary>How a path of this tree is named in messages and logs (its URL).</summary>
    string Describe(string path);

    bool Exists(string path);

    /// <summary>How the source was reached, when there is a choice worth showing (the NFS protocol version), for a diagnosis.</summary>
    string? Connection => null;

    /// <summary>Whether a path exists and what the source answered (an HTTP status, an FTP reply), for a diagnosis.</summary>
    Lookup Look(string path)
    {
        var exists = Exists(path);
        return new Lookup(exists, exists ? "present" : "no such file");
    }

    /// <summary>Opens a file of the tree for streaming; throws <see cref="SourceUnavailableException"/> when it cannot.</summary>
    RemoteFile Open(string path);

    /// <summary>
    /// Opens a file unless it is still the version <paramref name="known"/> describes, in
    /// which case the result says so and carries no data. Sources that cannot tell
    /// versions apart open the file and give it no validators, so it is never cached.
    /// </summary>
    RemoteFile OpenIfChanged(string path, Validators? known) => Open(path);
}

/// <summary>What looking for a path found, and the file's length when the answer gave it.</summary>
public sealed record Lookup(bool Exists, string Answer, long? Length = null);

/// <summary>An open file of a repository: its data as a stream and its length when the source states one.</summary>
/// <param name="Validators">What identifies this version of the file at its source, when the source says.</param>
/// <param name="NotModified">The source confirmed the version the caller already holds; Content is empty.</param>
public sealed class RemoteFile(string url, long? length, Stream content, Validators? validators = null, bool notModified = false) : IDisposable
{
    public string Url { get; } = url;
    public long? Length { get; } = length;
    public Stream Content { get; } = content;
    public Validators? Validators { get; } = validators;
    public bool NotModified { get; } = notModified;

    public static RemoteFile Unchanged(string url, Validators validators) => new(url, null, Stream.Null, validators, notModified: true);

    public void Dispose() => Content.Dispose();
}

/// <summary>A file the repository could not hand over (missing, refused, unreachable, truncated, stalled).</summary>
public sealed class SourceUnavailableException(string url, string reason) : Exception($"{url}: {reason}")
{
    public string Url { get; } = url;
    public string Reason { get; } = reason;
}
