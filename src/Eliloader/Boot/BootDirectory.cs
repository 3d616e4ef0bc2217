using System.Security.Cryptography;
using Eliloader.Errors;
using Eliloader.Repositories;

namespace Eliloader.Boot;

/// <summary>
/// The directory the toolstack takes kernels and ramdisks from (and deletes them
/// after building the domain). Files get exclusive random names, as mkstemp gave the
/// Python loader, and are streamed in within a limit.
/// </summary>
public sealed class BootDirectory(string path, RunCleanup cleanup, Action<string> log)
{
    private const string NameAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int NameAttempts = 100;
    private const int BufferSize = 1 << 20;

    public string Path { get; } = path;

    /// <summary>
    /// Streams a repository file into a new file named prefix-XXXXXX; returns its path
    /// and, when asked (a ramdisk that map files might name), its MD5 taken on the way.
    /// </summary>
    public (string Path, string? Md5) Receive(RemoteFile source, string prefix, long limit, bool md5)
    {
        if (source.Length > limit)
            throw TooLarge(source.Url, limit);
        var (target, stream) = Create(prefix);
        using var hash = md5 ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        long total = 0;
        using (stream)
        {
            var buffer = new byte[BufferSize];
            int read;
            while ((read = ReadSome(source, buffer, total)) > 0)
            {
                if (total + read > limit)
                    throw TooLarge(source.Url, limit);
                stream.Write(buffer, 0, read);
                hash?.AppendData(buffer, 0, read);
                total += read;
            }
        }
        if (source.Length is { } expected && total != expected)
            throw new SourceUnavailableException(source.Url, $"received {total} bytes of the {expected} announced");
        var digest = hash is null ? null : Convert.ToHexStringLower(hash.GetHashAndReset());
        log($"fetched {source.Url}: {total} bytes into {target}" + (digest is null ? "" : $", MD5 {digest}"));
        return (target, digest);
    }

    private static int ReadSome(RemoteFile source, byte[] buffer, long received)
    {
        try
        {
            return source.Content.Read(buffer, 0, buffer.Length);
        }
        catch (SourceUnavailableException e)
        {
            throw new SourceUnavailableException(e.Url, $"{e.Reason} ({received} of {source.Length?.ToString() ?? "an unknown number of"} bytes received)");
        }
    }

    /// <summary>A new file prefix-XXXXXX, created exclusively, removed again if the run fails.</summary>
    public (string Path, FileStream Stream) Create(string prefix)
    {
        if (!Directory.Exists(Path))
        {
            Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            log($"created {Path}");
        }
        for (var attempt = 0; attempt < NameAttempts; attempt++)
        {
            var candidate = System.IO.Path.Combine(Path, $"{prefix}-{RandomNumberGenerator.GetString(NameAlphabet, 6)}");
            try
            {
                var stream = new FileStream(candidate, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.ReadWrite,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
                cleanup.Register($"removed {candidate}", () => File.Delete(candidate));
                return (candidate, stream);
            }
            catch (IOException) when (File.Exists(candidate))
            {
                // Taken by another run: draw another name.
            }
        }
        throw new ApiError(ApiError.InternalError, $"Could not create a file in {Path} after {NameAttempts} attempts.");
    }

    private static ApiError TooLarge(string url, long limit) =>
        new(ApiError.Limits, $"File '{url}' exceeds limit of {limit} bytes");
}
