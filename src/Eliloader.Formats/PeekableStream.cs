namespace Eliloader.Formats;

/// <summary>A forward-only stream whose next bytes can be looked at before they are read.</summary>
public sealed class PeekableStream(Stream inner) : ForwardReadStream
{
    private byte[] pending = [];
    private int start;
    private long consumed;

    /// <summary>Bytes read so far (decoders such as xz align to it).</summary>
    public override long Position { get => consumed; set => throw new NotSupportedException(); }

    /// <summary>Up to <paramref name="count"/> next bytes, fewer only at the end of the input.</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        if (pending.Length - start < count)
        {
            var buffer = new byte[count];
            var have = pending.Length - start;
            pending.AsSpan(start).CopyTo(buffer);
            while (have < count)
            {
                var read = inner.Read(buffer, have, count - have);
                if (read == 0)
                    break;
                have += read;
            }
            pending = buffer[..have];
            start = 0;
        }
        return pending.AsSpan(start, Math.Min(count, pending.Length - start));
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (start < pending.Length)
        {
            var n = Math.Min(count, pending.Length - start);
            pending.AsSpan(start, n).CopyTo(buffer.AsSpan(offset));
            start += n;
            consumed += n;
            return n;
        }
        var read = inner.Read(buffer, offset, count);
        consumed += read;
        return read;
    }

    /// <summary>Gives back bytes a decoder read past the end of its data: they are read again next.</summary>
    public void PushBack(ReadOnlySpan<byte> bytes)
    {
        pending = [.. bytes, .. pending.AsSpan(start)];
        start = 0;
        consumed -= bytes.Length;
    }

    /// <summary>Skips NUL bytes (padding between initramfs segments); the count skipped.</summary>
    public long SkipZeros()
    {
        long skipped = 0;
        while (Peek(1) is [0])
        {
            start++;
            consumed++;
            skipped++;
        }
        return skipped;
    }
}
