using System.Text;

namespace Eliloader.Faults.Inputs;

/// <summary>
/// newc cpio members written byte by byte, so that a case can lie in any field: the
/// magic, the name size, the file size, a field that is not hexadecimal, the checksum.
/// </summary>
public sealed record NewcMember(string Name, byte[] Data)
{
    public const uint RegularFile = 0x81A4;
    public const uint Directory = 0x41ED;
    public const uint Symlink = 0xA1FF;
    public const uint CharacterDevice = 0x2190;

    public string Magic { get; init; } = "070701";
    public uint Inode { get; init; } = 1;
    public uint Mode { get; init; } = RegularFile;
    public uint Links { get; init; } = 1;
    public uint RdevMajor { get; init; }
    public uint RdevMinor { get; init; }
    public uint Checksum { get; init; }

    /// <summary>The file size the header states; the data's length unless the case lies.</summary>
    public uint? StatedSize { get; init; }

    /// <summary>The name size the header states (NUL included); the name's unless the case lies.</summary>
    public uint? StatedNameSize { get; init; }

    /// <summary>Replaces the header's field of this index (0 = inode … 12 = checksum) with these 8 characters.</summary>
    public (int Index, string Text)? RawField { get; init; }

    public static NewcMember File(string name, string text) => new(name, Encoding.ASCII.GetBytes(text));

    public byte[] Bytes()
    {
        var name = Encoding.UTF8.GetBytes(Name + "\0");
        uint[] fields = [Inode, Mode, 0, 0, Links, 0, StatedSize ?? (uint)Data.Length, 0, 0, RdevMajor, RdevMinor, StatedNameSize ?? (uint)name.Length, Checksum];
        var header = new StringBuilder(Magic);
        for (var index = 0; index < fields.Length; index++)
            header.Append(RawField is { } raw && raw.Index == index ? raw.Text : fields[index].ToString("X8"));
        var output = new MemoryStream();
        output.Write(Encoding.ASCII.GetBytes(header.ToString()));
        output.Write(name);
        Pad(output);
        output.Write(Data);
        Pad(output);
        return output.ToArray();
    }

    private static void Pad(MemoryStream output)
    {
        while (output.Length % 4 != 0)
            output.WriteByte(0);
    }

    public static readonly NewcMember Trailer = new("TRAILER!!!", []) { Inode = 0, Mode = 0 };

    /// <summary>The members one after another, then the trailer.</summary>
    public static byte[] Archive(params NewcMember[] members) => Concat(members.Append(Trailer).Select(m => m.Bytes()));

    public static byte[] Concat(IEnumerable<byte[]> parts) => parts.SelectMany(p => p).ToArray();
}
