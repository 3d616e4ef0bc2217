using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Eliloader.Formats.Cpio;

/// <summary>Parses the four header layouts into <see cref="CpioEntry"/>; the magic has been read already.</summary>
internal static class CpioHeaderReader
{
    public const int NewcHeader = 110;
    public const int OdcHeader = 76;
    public const int BinaryHeader = 26;

    /// <summary>newc and crc: thirteen 8-digit hex fields after the 6-byte magic.</summary>
    public static (CpioEntry Entry, int NameSize) Svr4(byte[] header, CpioFormat format)
    {
        uint Field(int index)
        {
            var text = header.AsSpan(6 + index * 8, 8);
            return uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidDataException($"cpio header field {index} is not hexadecimal: '{Encoding.ASCII.GetString(text)}'");
        }
        var entry = new CpioEntry
        {
            Name = "",
            Inode = Field(0),
            Mode = Field(1),
            Uid = Field(2),
            Gid = Field(3),
            LinkCount = Field(4),
            ModificationTime = Field(5),
            DataLength = Field(6),
            DevMajor = Field(7),
            DevMinor = Field(8),
            RdevMajor = Field(9),
            RdevMinor = Field(10),
            Checksum = Field(12),
            Format = format,
        };
        return (entry, (int)Math.Min(Field(11), int.MaxValue));
    }

    /// <summary>odc: octal fields of 6 digits, with 11-digit mtime and size.</summary>
    public static (CpioEntry Entry, int NameSize) Odc(byte[] header)
    {
        var offset = 6;
        ulong Field(int width)
        {
            var text = header.AsSpan(offset, width);
            offset += width;
            ulong value = 0;
            foreach (var digit in text)
            {
                if (digit is < (byte)'0' or > (byte)'7')
                    throw new InvalidDataException($"cpio header field '{Encoding.ASCII.GetString(text)}' is not octal");
                value = value * 8 + (ulong)(digit - '0');
            }
            return value;
        }
        var dev = Field(6);
        var inode = Field(6);
        var mode = Field(6);
        var uid = Field(6);
        var gid = Field(6);
        var links = Field(6);
        var rdev = Field(6);
        var mtime = Field(11);
        var nameSize = Field(6);
        var size = Field(11);
        var entry = new CpioEntry
        {
            Name = "",
            DevMajor = (uint)(dev >> 8),
            DevMinor = (uint)(dev & 0xFF),
            Inode = (uint)inode,
            Mode = (uint)mode,
            Uid = (uint)uid,
            Gid = (uint)gid,
            LinkCount = (uint)links,
            RdevMajor = (uint)(rdev >> 8),
            RdevMinor = (uint)(rdev & 0xFF),
            ModificationTime = (uint)mtime,
            DataLength = (long)size,
            Format = CpioFormat.Odc,
        };
        return (entry, (int)Math.Min(nameSize, int.MaxValue));
    }

    /// <summary>Old binary: thirteen 16-bit words; mtime and size as two words, high first.</summary>
    public static (CpioEntry Entry, int NameSize) Binary(byte[] header, bool littleEndian)
    {
        uint Word(int index) => littleEndian
            ? BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(index * 2))
            : BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(index * 2));
        var dev = Word(1);
        var rdev = Word(7);
        var entry = new CpioEntry
        {
            Name = "",
            DevMajor = dev >> 8,
            DevMinor = dev & 0xFF,
            Inode = Word(2),
            Mode = Word(3),
            Uid = Word(4),
            Gid = Word(5),
            LinkCount = Word(6),
            RdevMajor = rdev >> 8,
            RdevMinor = rdev & 0xFF,
            ModificationTime = (Word(8) << 16) | Word(9),
            DataLength = (Word(11) << 16) | Word(12),
            Format = littleEndian ? CpioFormat.BinaryLittleEndian : CpioFormat.BinaryBigEndian,
        };
        return (entry, (int)Word(10));
    }
}
