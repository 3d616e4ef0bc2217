using System.Buffers.Binary;
using System.Text;
using Entry = Eliloader.Formats.Ext2.Ext2Layout.DirectoryEntry;

namespace Eliloader.Formats.Ext2;

/// <summary>
/// A directory's entries encoded as ext2 directory blocks: each entry a header and its
/// name padded to 4 bytes, never across a block, the last entry of a block stretched to
/// its end.
/// </summary>
internal static class Ext2DirectoryBlocks
{
    public static List<byte[]> Encode(IEnumerable<(uint Inode, string Name, byte Type)> entries, int blockSize)
    {
        var blocks = new List<byte[]>();
        var block = new byte[blockSize];
        int at = 0, last = -1;
        foreach (var (inode, name, type) in entries)
        {
            var bytes = Encoding.Latin1.GetBytes(name);
            if (bytes.Length > Entry.MaxNameLength)
                throw new InvalidDataException($"ext2 name '{name}' is longer than {Entry.MaxNameLength} bytes");
            var length = (Entry.HeaderSize + bytes.Length + 3) & ~3;
            if (at + length > blockSize)
            {
                StretchToEnd(block, last);
                blocks.Add(block);
                block = new byte[blockSize];
                at = 0;
            }
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(at + Entry.Inode), inode);
            BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(at + Entry.RecordLength), (ushort)length);
            block[at + Entry.NameLength] = (byte)bytes.Length;
            block[at + Entry.FileType] = type;
            bytes.CopyTo(block, at + Entry.Name);
            last = at;
            at += length;
        }
        StretchToEnd(block, last);
        blocks.Add(block);
        return blocks;
    }

    /// <summary>The block's last entry takes the rest of it, as ext2 requires.</summary>
    private static void StretchToEnd(byte[] block, int last) =>
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(last + Entry.RecordLength), (ushort)(block.Length - last));
}
