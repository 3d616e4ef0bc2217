using Eliloader.Formats;
using Eliloader.Formats.Nfs;
using Eliloader.Formats.OncRpc;

namespace Eliloader.Repositories.Nfs;

/// <summary>
/// A file of the export read front to back with several READs in flight, so the
/// server streams while this side writes and hashes. The size GETATTR gave is what is
/// read: a short READ is followed by one for the rest, a READ that brings nothing, or
/// an end of file before that size, is a failure naming the file. Any failure is
/// <see cref="SourceUnavailableException"/>.
/// </summary>
public sealed class NfsFileStream : ForwardReadStream
{
    /// <summary>How many READs are sent ahead of the one being received.</summary>
    public const int Window = 4;

    /// <summary>The size of each READ, when the server takes that much.</summary>
    public const uint Chunk = 1 << 20;

    private readonly INfsClient client;
    private readonly NfsNode file;
    private readonly ulong size;
    private readonly string url;
    private readonly uint chunk;
    private readonly LinkedList<PendingRead> inFlight = new();
    private ulong requested;
    private RpcResult? reply;
    private ReadOnlyMemory<byte> unread;

    public NfsFileStream(INfsClient client, NfsNode file, string url)
    {
        (this.client, this.file, this.url) = (client, file, url);
        size = file.Attributes.Size;
        chunk = Math.Min(Chunk, client.MaxRead);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (unread.IsEmpty)
        {
            Release();
            if (!Receive())
                return 0;
        }
        var copied = Math.Min(buffer.Length, unread.Length);
        unread.Span[..copied].CopyTo(buffer);
        unread = unread[copied..];
        return copied;
    }

    /// <returns>False at the end of the file.</returns>
    private bool Receive()
    {
        try
        {
            while (inFlight.Count < Window && requested < size)
            {
                var count = (uint)Math.Min(chunk, size - requested);
                inFlight.AddLast(client.SendRead(file, requested, count));
                requested += count;
            }
            if (inFlight.First is not { Value: var head })
                return false;
            inFlight.RemoveFirst();
            var (received, read) = client.ReceiveRead(head);
            reply = received;
            unread = read.Data;
            var end = head.Offset + (ulong)read.Data.Length;
            if (read.Data.Length < head.Count)
            {
                if (read.Eof || read.Data.IsEmpty)
                    throw new SourceUnavailableException(url, $"the file ended after {end} of the {size} bytes GETATTR stated");
                // A short READ: the rest of this range before any later one.
                inFlight.AddFirst(client.SendRead(file, end, head.Count - (uint)read.Data.Length));
            }
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or RpcFailureException or NfsStatusException)
        {
            throw new SourceUnavailableException(url, e.Message);
        }
    }

    private void Release()
    {
        reply?.Dispose();
        reply = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
            foreach (var read in inFlight)
                client.Forget(read);
            inFlight.Clear();
        }
        base.Dispose(disposing);
    }
}
