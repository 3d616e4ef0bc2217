using System.Buffers.Binary;
using System.Text;

namespace Eliloader.Formats.OncRpc;

/// <summary>
/// Reads XDR (RFC 4506) from one received message. Every length comes from the peer,
/// so each variable-length item is read against a bound its caller names, and a
/// message that ends early, pads with anything but zeros or says a boolean is 2 is
/// <see cref="InvalidDataException"/> naming the item.
/// </summary>
public sealed class XdrReader(ReadOnlyMemory<byte> message)
{
    public int Position { get; private set; }

    public int Remaining => message.Length - Position;

    /// <summary>The length of <paramref name="length"/> bytes once padded to a multiple of four.</summary>
    public static int Padded(int length) => (length + 3) & ~3;

    public uint UInt32(string what) => BinaryPrimitives.ReadUInt32BigEndian(Take(4, what).Span);

    public ulong UInt64(string what) => BinaryPrimitives.ReadUInt64BigEndian(Take(8, what).Span);

    public long Int64(string what) => (long)UInt64(what);

    public bool Bool(string what) => UInt32(what) switch
    {
        0 => false,
        1 => true,
        var other => throw new InvalidDataException($"XDR: {what} is the boolean {other}, not 0 or 1"),
    };

    /// <summary>A count of items that follow, at most <paramref name="max"/>.</summary>
    public int Count(int max, string what)
    {
        var count = UInt32(what);
        if (count > (uint)max)
            throw new InvalidDataException($"XDR: {what} counts {count} items, more than the {max} allowed");
        return (int)count;
    }

    /// <summary>Fixed-length opaque data; its padding must be zeros.</summary>
    public ReadOnlyMemory<byte> FixedOpaque(int length, string what)
    {
        var padded = Take(Padded(length), what);
        if (padded.Span[length..].ContainsAnyExcept((byte)0))
            throw new InvalidDataException($"XDR: {what} is padded with something other than zeros");
        return padded[..length];
    }

    /// <summary>Variable-length opaque data of at most <paramref name="max"/> bytes, as a slice of the message.</summary>
    public ReadOnlyMemory<byte> Opaque(int max, string what)
    {
        var length = UInt32(what);
        if (length > (uint)max)
            throw new InvalidDataException($"XDR: {what} is {length} bytes long, more than the {max} allowed");
        return FixedOpaque((int)length, what);
    }

    /// <summary>A string of at most <paramref name="max"/> bytes; invalid UTF-8 is refused rather than guessed at.</summary>
    public string String(int max, string what)
    {
        var bytes = Opaque(max, what);
        try
        {
            return Strict.GetString(bytes.Span);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"XDR: {what} is not UTF-8");
        }
    }

    /// <summary>Skips what this program does not need, as a whole number of XDR units.</summary>
    public void Skip(int bytes, string what) => Take(bytes, what);

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ReadOnlyMemory<byte> Take(int count, string what)
    {
        if (count > Remaining)
            throw new InvalidDataException($"XDR: the message ends inside {what} ({Remaining} bytes left, {count} needed)");
        var slice = message.Slice(Position, count);
        Position += count;
        return slice;
    }
}
