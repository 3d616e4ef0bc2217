using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Eliloader.Formats.Compression;

/// <summary>
/// The decompressed bytes of one gzip member, checked against its trailer (CRC-32 and
/// length), and the input left exactly after the member, as the kernel's initramfs
/// unpacker leaves it. The inflater reads ahead, so the end of the member is found by
/// its trailer in the bytes it was given, and the bytes past it are handed back to
/// the input.
/// </summary>
public sealed class GzipMember : ForwardReadStream
{
    private const byte Deflate = 8;
    private const int HeaderCrcFlag = 0x02, ExtraFlag = 0x04, NameFlag = 0x08, CommentFlag = 0x10, ReservedFlags = 0xE0;
    private const int MaxHeaderText = 1 << 16;
    private const int TrailerLength = 8;

    private readonly PeekableStream input;
    private readonly Crc32 crc = new();
    private readonly TailRecorder tail;
    private DeflateStream? inflater;
    private uint length;

    /// <summary>Reads the member's header; the inflating follows as the member is read.</summary>
    public GzipMember(PeekableStream input)
    {
        this.input = input;
        ReadHeader();
        tail = new TailRecorder(input);
        inflater = new DeflateStream(tail, CompressionMode.Decompress, leaveOpen: true);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (inflater is null)
            return 0;
        var read = inflater.Read(buffer, offset, count);
        if (read > 0)
        {
            crc.Append(buffer.AsSpan(offset, read));
            length += (uint)read;
            return read;
        }
        FinishMember();
        return 0;
    }

    private void ReadHeader()
    {
        var header = new byte[10];
        ReadExactly(header, "header");
        if (header[0] != 0x1F || header[1] != 0x8B || header[2] != Deflate || (header[3] & ReservedFlags) != 0)
            throw Invalid("header is not a deflate member's");
        var flags = header[3];
        if ((flags & ExtraFlag) != 0)
        {
            var size = new byte[2];
            ReadExactly(size, "extra field");
            ReadExactly(new byte[BinaryPrimitives.ReadUInt16LittleEndian(size)], "extra field");
        }
        if ((flags & NameFlag) != 0)
            SkipText("file name");
        if ((flags & CommentFlag) != 0)
            SkipText("comment");
        if ((flags & HeaderCrcFlag) != 0)
            ReadExactly(new byte[2], "header CRC");
    }

    /// <summary>Finds the trailer the data just inflated calls for, and gives back what the inflater read past it.</summary>
    private void FinishMember()
    {
        Span<byte> expected = stackalloc byte[TrailerLength];
        crc.GetCurrentHash(expected[..4]);
        BinaryPrimitives.WriteUInt32LittleEndian(expected[4..], length);
        var given = tail.Recent();
        var beyond = input.Peek(TrailerLength).ToArray();
        byte[] window = [.. given, .. beyond];
        var at = window.AsSpan().IndexOf(expected);
        if (at < 0)
            throw Invalid("data does not match its trailer's CRC-32 and length, or the member is truncated");
        var end = at + TrailerLength;
        if (end <= given.Length)
            input.PushBack(given.AsSpan(end));
        else
            ReadExactly(new byte[end - given.Length], "trailer");
        inflater!.Dispose();
        inflater = null;
    }

    private void SkipText(string what)
    {
        var one = new byte[1];
        for (var count = 0; count <= MaxHeaderText; count++)
        {
            ReadExactly(one, what);
            if (one[0] == 0)
                return;
        }
        throw Invalid($"{what} is longer than {MaxHeaderText} bytes");
    }

    private void ReadExactly(byte[] buffer, string what)
    {
        if (input.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
            throw Invalid($"{what} is truncated");
    }

    private static InvalidDataException Invalid(string what) => new($"gzip member: {what}");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inflater?.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Hands the inflater its input and keeps the last two reads, where a member's end must lie.</summary>
    private sealed class TailRecorder(Stream source) : ForwardReadStream
    {
        // Two buffers taken in turn, grown only when a read is larger: no allocation per read.
        private byte[] previous = [];
        private byte[] last = [];
        private int previousLength;
        private int lastLength;

        public byte[] Recent() => [.. previous.AsSpan(0, previousLength), .. last.AsSpan(0, lastLength)];

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = source.Read(buffer, offset, count);
            if (read > 0)
            {
                (previous, last, previousLength) = (last, previous, lastLength);
                if (last.Length < read)
                    last = new byte[read];
                buffer.AsSpan(offset, read).CopyTo(last);
                lastLength = read;
            }
            return read;
        }
    }
}
