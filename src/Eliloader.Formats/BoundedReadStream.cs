namespace Eliloader.Formats;

/// <summary>
/// A read-only view of a stream that fails (LimitExceededException) once more than a
/// set number of bytes has come through, so a parser of hostile input never reads without end.
/// </summary>
public sealed class BoundedReadStream(Stream inner, long limit) : ForwardReadStream
{
    private long consumed;

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        consumed += read;
        if (consumed > limit)
            throw new LimitExceededException($"input is larger than {limit} bytes");
        return read;
    }

    public override long Position { get => consumed; set => throw new NotSupportedException(); }
}
