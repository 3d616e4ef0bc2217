using Eliloader.Formats.Compression;

namespace Eliloader.Formats.Cpio;

/// <summary>
/// Reads an initramfs as the kernel does: cpio archives one after another, each
/// plain or compressed, NUL padding between them (an uncompressed early-microcode
/// archive followed by a compressed one is the usual case). Entries come out in
/// order; later names win when the caller unpacks them. Decompressed bytes are
/// bounded: past the bound is a LimitExceededException.
/// </summary>
public sealed class InitramfsReader(Stream input, long maxUnpackedBytes, CpioLimits limits)
{
    private PeekableStream layer = new(input);
    private bool decompressed;
    private CpioReader? archive;

    /// <summary>The compression of the compressed segment, if one has been met.</summary>
    public RamdiskCompression Compression { get; private set; }

    public Stream DataStream => archive?.DataStream ?? throw new InvalidOperationException("no current entry");

    public CpioEntry? GetNextEntry()
    {
        while (true)
        {
            if (archive?.GetNextEntry() is { } entry)
                return entry;
            archive = null;
            layer.SkipZeros();
            var head = layer.Peek(6);
            if (head.IsEmpty)
                return null;
            if (head.Length >= 2 && (head[..2].SequenceEqual("07"u8) || head is [0xC7, 0x71, ..] or [0x71, 0xC7, ..]))
            {
                archive = new CpioReader(layer, limits);
                continue;
            }
            var compression = RamdiskDecompression.Detect(head);
            if (compression == RamdiskCompression.None || decompressed)
                throw new InvalidDataException($"the initramfs holds data that is neither cpio nor a known compression ({Convert.ToHexString(head)})");
            Compression = compression;
            decompressed = true;
            layer = new PeekableStream(new BoundedReadStream(RamdiskDecompression.Open(compression, layer), maxUnpackedBytes));
        }
    }
}
