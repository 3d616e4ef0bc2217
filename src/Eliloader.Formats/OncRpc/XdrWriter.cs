using System.Buffers.Binary;
using System.Text;

namespace Eliloader.Formats.OncRpc;

/// <summary>
/// Builds XDR (RFC 4506) into a growing buffer: big-endian 32- and 64-bit integers,
/// and opaque data and strings padded to a multiple of four bytes.
/// </summary>
public sealed class XdrWriter
{
    private byte[] buffer = new byte[256];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => buffer.AsSpan(0, Length);

    public byte[] ToArray() => Written.ToArray();

    public XdrWriter UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Grow(4), value);
        return this;
    }

    public XdrWriter UInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(Grow(8), value);
        return this;
    }

    public XdrWriter Bool(bool value) => UInt32(value ? 1u : 0u);

    /// <summary>Fixed-length opaque data: the bytes and their padding, no length.</summary>
    public XdrWriter FixedOpaque(ReadOnlySpan<byte> data)
    {
        var padded = Grow(XdrReader.Padded(data.Length));
        data.CopyTo(padded);
        padded[data.Length..].Clear();
        return this;
    }

    /// <summary>Variable-length opaque data: its length, the bytes and their padding.</summary>
    public XdrWriter Opaque(ReadOnlySpan<byte> data) => UInt32((uint)data.Length).FixedOpaque(data);

    /// <summary>A string as UTF-8 bytes (NFS names are bytes; UTF-8 is what a path of this program is).</summary>
    public XdrWriter String(string value) => Opaque(Encoding.UTF8.GetBytes(value));

    private Span<byte> Grow(int count)
    {
        if (Length + count > buffer.Length)
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, Length + count));
        var span = buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
