using System.Text;
using Field = Eliloader.Formats.Iso9660.IsoLayout.SystemUse;

namespace Eliloader.Formats.Iso9660;

/// <summary>
/// The Rock Ridge fields of a directory record's system use area (SUSP): the
/// alternate name (NM) and symlink target (SL), following continuation areas (CE)
/// a bounded number of times.
/// </summary>
internal static class SystemUseArea
{
    private const int MaxContinuations = 16;
    private const int MaxFieldText = 4096;

    public sealed record RockRidgeFields(string? Name, string? SymlinkTarget, bool Relocated);

    /// <param name="readContinuation">Reads (block, offset, length) of a CE area.</param>
    public static RockRidgeFields Parse(ReadOnlySpan<byte> area, Func<long, long, long, byte[]> readContinuation, string where)
    {
        var name = new StringBuilder();
        var link = new StringBuilder();
        bool hasName = false, hasLink = false, relocated = false, linkComponentOpen = false;
        var current = area.ToArray();
        for (var hop = 0; ; hop++)
        {
            (long Block, long Offset, long Length)? next = null;
            var span = current.AsSpan();
            while (span.Length >= Field.HeaderSize)
            {
                var length = span[Field.FieldLength];
                if (length < Field.HeaderSize || length > span.Length)
                    break;
                var data = span[Field.HeaderSize..length];
                switch (Encoding.ASCII.GetString(span.Slice(Field.Signature, Field.SignatureLength)))
                {
                    case "NM" when data.Length >= 1:
                        hasName = true;
                        if ((data[0] & Field.NameCurrentOrParent) == 0)
                            name.Append(Encoding.UTF8.GetString(data[1..]));
                        break;
                    case "SL" when data.Length >= 1:
                        hasLink = true;
                        AppendSymlinkComponents(data[1..], link, ref linkComponentOpen, where);
                        break;
                    case "CE" when data.Length >= Field.ContinuationDataLength:
                        next = (LittleEndian32(data[Field.ContinuationBlock..]), LittleEndian32(data[Field.ContinuationOffset..]), LittleEndian32(data[Field.ContinuationLength..]));
                        break;
                    case "RE":
                        relocated = true;
                        break;
                    case "ST":
                        span = default;
                        continue;
                }
                if (name.Length > MaxFieldText || link.Length > MaxFieldText)
                    throw new InvalidDataException($"{where}: Rock Ridge name or link longer than {MaxFieldText} characters");
                span = span[length..];
            }
            if (next is null)
                break;
            if (hop == MaxContinuations)
                throw new InvalidDataException($"{where}: more than {MaxContinuations} Rock Ridge continuation areas");
            current = readContinuation(next.Value.Block, next.Value.Offset, next.Value.Length);
        }
        return new RockRidgeFields(hasName ? name.ToString() : null, hasLink ? link.ToString() : null, relocated);
    }

    private static void AppendSymlinkComponents(ReadOnlySpan<byte> components, StringBuilder link, ref bool componentOpen, string where)
    {
        while (components.Length >= 2)
        {
            var flags = components[0];
            var length = components[1];
            if (2 + length > components.Length)
                throw new InvalidDataException($"{where}: truncated Rock Ridge symlink component");
            if (!componentOpen && link.Length > 0 && link[^1] != '/')
                link.Append('/');
            if ((flags & Field.ComponentRoot) != 0)
                link.Append('/');
            else if ((flags & Field.ComponentParent) != 0)
                link.Append("..");
            else if ((flags & Field.ComponentCurrent) != 0)
                link.Append('.');
            else
                link.Append(Encoding.UTF8.GetString(components.Slice(2, length)));
            componentOpen = (flags & Field.ComponentContinues) != 0;
            components = components[(2 + length)..];
        }
    }

    internal static uint LittleEndian32(ReadOnlySpan<byte> bytes) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes);
}
