using Eliloader.Formats.Compression;

namespace Eliloader.Formats.Cpio;

/// <summary>
/// Reads an initramfs as the kernel does: cpio archives one after another, each
/// plain or compressed, NUL padding between them (an uncompressed early-microcode
/// archive followed by a compressed one is the usual case, but a plain archive may
/// follow a compressed one too). Entries come out in order; later names win when the
/// caller unpacks them. Decompressed bytes of all segments together are bounded: past
/// the bound is a LimitExceededException. Bytes that are neither an archive, padding
/// nor a known compression, inside a segment or after one, are invalid data.
/// </summary>
public sealed class InitramfsReader(Stream input, long maxUnpackedBytes, CpioLimits limits)
{
    private readonly PeekableStream outer = new(input);
    private PeekableStream? segment;
    private RamdiskCompression segmentCompression;
    private long unpackedBefore;
    private bool outerEnded;
    private CpioReader? archive;

    /// <summary>The compression of the first compressed segment, if one has been met.</summary>
    public RamdiskCompression Compression { get; private set; }

    public Stream DataStream => archive?.DataStream ?? throw new InvalidOperationException("no current entry");

    public CpioEntry? GetNextEntry()
    {
        while (true)
        {
            if (archive?.GetNextEntry() is { } entry)
                return entry;
            archive = null;
            if (segment is null && outerEnded)
                return null;
            var layer = segment ?? outer;
            layer.SkipZeros();
            var head = layer.Peek(6);
            if (head.IsEmpty)
            {
                if (segment is null)
                    return null;
                EndSegment();
                continue;
            }
            if (head.Length >= 2 && (head[..2].SequenceEqual("07"u8) || head is [0xC7, 0x71, ..] or [0x71, 0xC7, ..]))
            {
                archive = new CpioReader(layer, limits);
                continue;
            }
            var compression = RamdiskDecompression.Detect(head);
            if (compression == RamdiskCompression.None || segment is not null)
                throw new InvalidDataException(
                    $"the initramfs holds data that is neither cpio nor a known compression ({Convert.ToHexString(head)}) at {(segment is null ? "byte" : "unpacked byte")} {layer.Position}");
            if (Compression == RamdiskCompression.None)
                Compression = compression;
            segmentCompression = compression;
            segment = new PeekableStream(new BoundedReadStream(RamdiskDecompression.Open(compression, outer), maxUnpackedBytes - unpackedBefore));
        }
    }

    /// <summary>
    /// Back to what follows a compressed segment. Only gzip says exactly where its data
    /// ends; after another compression nothing more is read (the decoder has read on).
    /// </summary>
    private void EndSegment()
    {
        unpackedBefore += segment!.Position;
        segment = null;
        outerEnded = !RamdiskDecompression.EndsExactly(segmentCompression);
    }
}
