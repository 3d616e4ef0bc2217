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

    /// <summary>Opens a file of the tree for streaming; throws <see cref="SourceUnavailableException"/> when it cannot.</summary>
    RemoteFile Open(string path);
}

/// <summary>An open file of a repository: its data as a stream and its length when the source states one.</summary>
public sealed class RemoteFile(string url, long? length, Stream content) : IDisposable
{
    public string Url { get; } = url;
    public long? Length { get; } = length;
    public Stream Content { get; } = content;

    public void Dispose() => Content.Dispose();
}

/// <summary>A file the repository could not hand over (missing, refused, unreachable, truncated, stalled).</summary>
public sealed class SourceUnavailableException(string url, string reason) : Exception($"{url}: {reason}")
{
    public string Url { get; } = url;
    public string Reason { get; } = reason;
}
