using System.Buffers;
using Eliloader.Repositories;
using Eliloader.Verification;

namespace Eliloader.Boot;

/// <summary>The bytes a transfer moved and the digests taken on the way, by algorithm.</summary>
public sealed record TransferResult(long Length, IReadOnlyDictionary<string, string> Digests);

/// <summary>
/// Streams a file into one or more files (the boot file, and the cache's copy) within a
/// size limit, taking digests as the bytes go by: nothing is ever held whole in memory
/// or read twice.
/// </summary>
public static class Transfer
{
    private const int BufferSize = 1 << 20;
    private const int MinBufferSize = 4 << 10;

    public static TransferResult Copy(RemoteFile source, IReadOnlyList<Stream> targets, long limit, IEnumerable<string> algorithms, IProgressDisplay progress)
    {
        if (source.Length > limit)
            throw Limits.Exceeded(source.Url, limit);
        using var digests = new DigestSet(algorithms);
        // Two buffers: the next chunk arrives from the source while this one is written
        // and hashed, so verifying a download costs little more than receiving it. They
        // come from the shared pool, no larger than the file: the kernel's pair serves
        // the ramdisk, and a 3 kB file does not pay for clearing and faulting in 2 MiB.
        var size = (int)Math.Clamp(source.Length ?? BufferSize, MinBufferSize, BufferSize);
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(size), ArrayPool<byte>.Shared.Rent(size)];
        long total = 0;
        var current = 0;
        var pending = Task.Run(() => ReadSome(source, buffers[0], 0));
        try
        {
            int read;
            while ((read = pending.GetAwaiter().GetResult()) > 0)
            {
                if (total + read > limit)
                    throw Limits.Exceeded(source.Url, limit);
                var received = total + read;
                var next = 1 - current;
                pending = Task.Run(() => ReadSome(source, buffers[next], received));
                foreach (var target in targets)
                    target.Write(buffers[current], 0, read);
                digests.Append(buffers[current].AsSpan(0, read));
                total = received;
                current = next;
                progress.Report(source.Url, total, source.Length);
            }
        }
        finally
        {
            // The source is disposed by the caller: no read may still be running then.
            if (!pending.IsCompleted)
                ((IAsyncResult)pending).AsyncWaitHandle.WaitOne();
            foreach (var buffer in buffers)
                ArrayPool<byte>.Shared.Return(buffer);
        }
        progress.Finish();
        if (source.Length is { } expected && total != expected)
            throw new SourceUnavailableException(source.Url, $"received {total} bytes of the {expected} announced");
        return new TransferResult(total, digests.Finish());
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
}
