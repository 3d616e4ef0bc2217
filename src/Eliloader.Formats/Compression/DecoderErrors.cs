namespace Eliloader.Formats.Compression;

/// <summary>
/// A decoder's own exceptions on damaged data (SharpCompress's and ZstdSharp's types)
/// as InvalidDataException naming the compression, so hostile data is reported as
/// such; read errors of the input and the unpacking bound pass through unchanged.
/// </summary>
public sealed class DecoderErrors(Stream decoder, RamdiskCompression compression) : ForwardReadStream
{
    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return decoder.Read(buffer, offset, count);
        }
        catch (Exception e) when (e is not (IOException or InvalidDataException or LimitExceededException))
        {
            throw new InvalidDataException($"the {compression.ToString().ToLowerInvariant()} data is damaged: {e.Message}", e);
        }
    }
}
