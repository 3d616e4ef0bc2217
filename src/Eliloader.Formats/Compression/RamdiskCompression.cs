using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.LZMA;
using SharpCompress.Compressors.Xz;

namespace Eliloader.Formats.Compression;

public enum RamdiskCompression
{
    None,
    Gzip,
    LzmaAlone,
    Xz,
    Bzip2,
    Zstd,
}

/// <summary>The compressions a Linux initramfs may use, told apart by their magic bytes.</summary>
public static class RamdiskDecompression
{
    public static RamdiskCompression Detect(ReadOnlySpan<byte> head) => head switch
    {
        [0x1F, 0x8B, ..] => RamdiskCompression.Gzip,
        [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, ..] => RamdiskCompression.Xz,
        [0x5D, 0x00, 0x00, ..] => RamdiskCompression.LzmaAlone,
        [0x42, 0x5A, 0x68, ..] => RamdiskCompression.Bzip2,
        [0x28, 0xB5, 0x2F, 0xFD, ..] => RamdiskCompression.Zstd,
        _ => RamdiskCompression.None,
    };

    /// <summary>
    /// A stream of the decompressed bytes; gzip members and bzip2 streams that follow one
    /// another are read as one. Every decoder but zstd's stops exactly where its data
    /// ends (<see cref="EndsExactly"/>), leaving the rest of the input to the caller.
    /// A decoder's complaint about damaged data is an InvalidDataException.
    /// </summary>
    public static Stream Open(RamdiskCompression compression, PeekableStream input) => new DecoderErrors(compression switch
    {
        RamdiskCompression.Gzip => new ConsecutiveMembers(input, [0x1F, 0x8B], member => new GzipMember(member)),
        RamdiskCompression.Xz => new XZStream(input),
        RamdiskCompression.LzmaAlone => OpenLzmaAlone(input),
        RamdiskCompression.Bzip2 => new ConsecutiveMembers(input, "BZh"u8.ToArray(), member =>
            BZip2Stream.Create(member, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: false, leaveOpen: true, tolerateTruncatedStream: false)),
        RamdiskCompression.Zstd => new ZstdSharp.DecompressionStream(input, 1 << 17, checkEndOfStream: true, leaveOpen: true),
        _ => input,
    }, compression);

    /// <summary>Whether the input is left exactly where the compressed data ends; zstd's decoder reads ahead.</summary>
    public static bool EndsExactly(RamdiskCompression compression) => compression != RamdiskCompression.Zstd;

    /// <summary>LZMA-alone: five property bytes and the 64-bit unpacked size (all ones when unknown), then the stream.</summary>
    private static LzmaStream OpenLzmaAlone(Stream input)
    {
        var header = new byte[13];
        if (input.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            throw new InvalidDataException("the LZMA header is truncated");
        var size = BitConverter.ToInt64(header, 5);
        return LzmaStream.Create(header[..5], input, -1, size, leaveOpen: true);
    }
}
