namespace Eliloader.Formats.Compression;

/// <summary>
/// A decoder's own exceptions on damaged data (SharpCompress's and ZstdSharp's types)
/// as InvalidDataException naming the compression, so hostile data is reported as
/// such, and a decoder's end of stream as truncated data; read errors of the input and
/// the unpacking bound pass through unchanged.
/// </summary>
public sealed class DecoderErrors(Stream decoder, RamdiskCompression compression) : ForwardReadStream
{
    private string Name => compression.ToString().ToLowerInvariant();

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return decoder.Read(buffer, offset, count);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"the {Name} data is truncated: {e.Message}", e);
        }
        catch (Exception e) when (e is not (IOException or InvalidDataException or LimitExceededException))
        {
            throw new InvalidDataException($"the {Name} data is damaged: {e.Message}", e);
        }
    }
}
