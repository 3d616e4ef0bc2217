using System.Buffers;
using System.Buffers.Binary;

namespace Eliloader.Formats.OncRpc;

/// <summary>
/// ONC RPC over TCP (RFC 5531 section 11): each message is a record sent as fragments,
/// each behind a four-byte header whose top bit marks the last fragment and whose
/// other 31 bits are the fragment's length. This program sends every record as one
/// fragment; it reads records of any number of fragments up to a bound.
/// </summary>
public static class RecordMarking
{
    public const int HeaderLength = 4;
    private const uint LastFragment = 0x8000_0000;

    /// <summary>The header of a record sent as one fragment of <paramref name="length"/> bytes.</summary>
    public static void WriteHeader(Span<byte> header, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        BinaryPrimitives.WriteUInt32BigEndian(header, LastFragment | (uint)length);
    }

    /// <summary>What a fragment header says: whether the fragment ends the record, and its length.</summary>
    public static (bool Last, int Length) ReadHeader(ReadOnlySpan<byte> header)
    {
        var value = BinaryPrimitives.ReadUInt32BigEndian(header);
        return ((value & LastFragment) != 0, (int)(value & ~LastFragment));
    }

    /// <summary>
    /// Reads one whole record into a pooled buffer. A record longer than
    /// <paramref name="maxLength"/> is refused as soon as a header says so, before its
    /// bytes are read; an empty fragment that is not the last is refused too, so every
    /// fragment brings the record closer to its bound.
    /// </summary>
    public static PooledRecord Read(Stream stream, int maxLength)
    {
        Span<byte> header = stackalloc byte[HeaderLength];
        var record = new PooledRecord();
        try
        {
            while (true)
            {
                stream.ReadExactly(header);
                var (last, length) = ReadHeader(header);
                if (length > maxLength - record.Length)
                    throw new InvalidDataException($"RPC record of more than {maxLength} bytes (a fragment of {length} after {record.Length})");
                if (length == 0 && !last)
                    throw new InvalidDataException($"RPC record with an empty fragment after {record.Length} bytes that is not the last");
                stream.ReadExactly(record.Append(length));
                if (last)
                    return record;
            }
        }
        catch
        {
            record.Dispose();
            throw;
        }
    }
}

/// <summary>A received record in a buffer borrowed from the shared pool, given back on dispose.</summary>
public sealed class PooledRecord : IDisposable
{
    private byte[] buffer = [];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, Length);

    /// <summary>Room for <paramref name="count"/> more bytes at the end of the record.</summary>
    internal Span<byte> Append(int count)
    {
        if (Length + count > buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Length + count);
            buffer.AsSpan(0, Length).CopyTo(larger);
            Return();
            buffer = larger;
        }
        var span = buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }

    public void Dispose()
    {
        Return();
        buffer = [];
        Length = 0;
    }

    private void Return()
    {
        if (buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
