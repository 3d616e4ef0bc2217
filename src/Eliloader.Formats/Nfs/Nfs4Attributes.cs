using Eliloader.Formats.OncRpc;

namespace Eliloader.Formats.Nfs;

/// <summary>
/// The NFSv4 attributes this client asks for, by their numbers in the attribute bitmap
/// (RFC 7530 section 5): type (1), size (4), maxread (30) and time_metadata (52, the
/// change time). Their values follow one another in the order of those numbers.
/// </summary>
public static class Nfs4Attributes
{
    private const int Type = 1;
    private const int Size = 4;
    private const int MaxRead = 30;
    private const int TimeMetadata = 52;

    /// <summary>The longest bitmap taken: eight words cover every attribute number defined.</summary>
    public const int MaxBitmapWords = 8;

    /// <summary>The longest attribute values taken; those asked for need 36 bytes.</summary>
    public const int MaxValues = 1024;

    /// <summary>The bitmap of what GETATTR asks for: two words, the second holding time_metadata.</summary>
    public static void WriteRequest(XdrWriter writer, bool maxRead) =>
        writer.UInt32(2).UInt32(1u << Type | 1u << Size | (maxRead ? 1u << MaxRead : 0)).UInt32(1u << (TimeMetadata - 32));

    /// <summary>
    /// fattr4: the bitmap of what the server sent, then the values as one opaque. The
    /// type and size must be there; an attribute not asked for, or values longer or
    /// shorter than the bitmap says, are refused.
    /// </summary>
    public static NfsAttributes Read(XdrReader reader)
    {
        var count = reader.Count(MaxBitmapWords, "the attribute bitmap");
        var words = Enumerable.Range(0, count).Select(_ => reader.UInt32("an attribute bitmap word")).ToArray();
        var values = new XdrReader(reader.Opaque(MaxValues, "the attribute values"));
        NfsFileType? type = null;
        ulong? size = null, maxRead = null;
        NfsTime? changed = null;
        for (var bit = 0; bit < count * 32; bit++)
        {
            if ((words[bit / 32] & (1u << (bit % 32))) == 0)
                continue;
            switch (bit)
            {
                case Type:
                    type = NfsAttributes.ReadType(values, NfsFileType.NamedAttribute);
                    break;
                case Size:
                    size = values.UInt64("the size");
                    break;
                case MaxRead:
                    maxRead = values.UInt64("maxread");
                    break;
                case TimeMetadata:
                    changed = NfsTime.Read(values, wideSeconds: true, "the change time");
                    break;
                default:
                    throw new InvalidDataException($"NFS: GETATTR returned attribute {bit}, which was not asked for");
            }
        }
        if (values.Remaining != 0)
            throw new InvalidDataException($"NFS: GETATTR's values run {values.Remaining} bytes past the attributes the bitmap names");
        if (type is null || size is null)
            throw new InvalidDataException("NFS: GETATTR returned no type or no size");
        return new NfsAttributes(type.Value, size.Value, changed, maxRead);
    }
}
