namespace Eliloader.Formats;

/// <summary>A forward-only stream whose next bytes can be looked at before they are read.</summary>
public sealed class PeekableStream(Stream inner) : ForwardReadStream
{
    /// <summary>How far padding is looked at in one go: a gigabyte of NULs is skipped in blocks, not byte by byte.</summary>
    private const int ZeroBlock = 1 << 16;

    // Bytes looked at but not yet read lie in buffer[start..end]; the buffer is reused.
    private byte[] buffer = [];
    private int start;
    private int end;
    private long consumed;

    /// <summary>Bytes read so far (decoders such as xz align to it).</summary>
    public override long Position { get => consumed; set => throw new NotSupportedException(); }

    /// <summary>Up to <paramref name="count"/> next bytes, fewer only at the end of the input.</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        if (end - start < count)
        {
            var kept = buffer.AsSpan(start, end - start);
            if (buffer.Length < count)
            {
                var larger = new byte[count];
                kept.CopyTo(larger);
                buffer = larger;
            }
            else
            {
                kept.CopyTo(buffer);
            }
            end -= start;
            start = 0;
            while (end < count)
            {
                var read = inner.Read(buffer, end, count - end);
                if (read == 0)
                    break;
                end += read;
            }
        }
        return buffer.AsSpan(start, Math.Min(count, end - start));
    }

    public override int Read(byte[] destination, int offset, int count)
    {
        if (start < end)
        {
            var n = Math.Min(count, end - start);
            buffer.AsSpan(start, n).CopyTo(destination.AsSpan(offset));
            Advance(n);
            return n;
        }
        var read = inner.Read(destination, offset, count);
        consumed += read;
        return read;
    }

    /// <summary>Gives back bytes a decoder read past the end of its data: they are read again next.</summary>
    public void PushBack(ReadOnlySpan<byte> bytes)
    {
        buffer = [.. bytes, .. buffer.AsSpan(start, end - start)];
        start = 0;
        end = buffer.Length;
        consumed -= bytes.Length;
    }

    /// <summary>Skips NUL bytes (padding between initramfs segments); the count skipped.</summary>
    public long SkipZeros()
    {
        long skipped = 0;
        while (true)
        {
            var ahead = Peek(ZeroBlock);
            var data = ahead.IndexOfAnyExcept((byte)0);
            var zeros = data < 0 ? ahead.Length : data;
            Advance(zeros);
            skipped += zeros;
            if (data >= 0 || ahead.Length < ZeroBlock)
                return skipped;
        }
    }

    private void Advance(int count)
    {
        start += count;
        consumed += count;
    }
}
