using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Eliloader.Formats.Compression;

/// <summary>
/// The decompressed bytes of one or more consecutive gzip members, each checked
/// against its trailer (CRC-32 and length), and the input left exactly after the last
/// member, as the kernel's initramfs unpacker leaves it: what follows (another
/// segment, padding, or garbage) is then the caller's to judge. The inflater reads
/// ahead, so the end of a member is found by its trailer in the bytes it was given,
/// and the bytes past it are handed back to the input.
/// </summary>
public sealed class GzipMembers(PeekableStream input) : ForwardReadStream
{
    private const byte Deflate = 8;
    private const int HeaderCrcFlag = 0x02, ExtraFlag = 0x04, NameFlag = 0x08, CommentFlag = 0x10, ReservedFlags = 0xE0;
    private const int MaxHeaderText = 1 << 16;
    private const int TrailerLength = 8;

    private readonly Crc32 crc = new();
    private DeflateStream? inflater;
    private TailRecorder? tail;
    private uint length;
    private int members;
    private bool ended;

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (!ended)
        {
            if (inflater is null && !StartMember())
            {
                ended = true;
                break;
            }
            var read = inflater!.Read(buffer, offset, count);
            if (read > 0)
            {
                crc.Append(buffer.AsSpan(offset, read));
                length += (uint)read;
                return read;
            }
            FinishMember();
        }
        return 0;
    }

    /// <summary>The first member must be there; a later one only if gzip's magic follows.</summary>
    private bool StartMember()
    {
        var head = input.Peek(2);
        if (members > 0 && head is not [0x1F, 0x8B])
            return false;
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
        tail = new TailRecorder(input);
        inflater = new DeflateStream(tail, CompressionMode.Decompress, leaveOpen: true);
        crc.Reset();
        length = 0;
        members++;
        return true;
    }

    /// <summary>Finds the trailer the data just inflated calls for, and gives back what the inflater read past it.</summary>
    private void FinishMember()
    {
        Span<byte> expected = stackalloc byte[TrailerLength];
        crc.GetCurrentHash(expected[..4]);
        BinaryPrimitives.WriteUInt32LittleEndian(expected[4..], length);
        var given = tail!.Recent();
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

    private InvalidDataException Invalid(string what) => new($"gzip member {members + (inflater is null ? 1 : 0)}: {what}");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inflater?.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Hands the inflater its input and keeps the last two reads, where a member's end must lie.</summary>
    private sealed class TailRecorder(Stream source) : ForwardReadStream
    {
        private byte[] previous = [];
        private byte[] last = [];

        public byte[] Recent() => [.. previous, .. last];

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = source.Read(buffer, offset, count);
            if (read > 0)
            {
                previous = last;
                last = buffer.AsSpan(offset, read).ToArray();
            }
            return read;
        }
    }
}
