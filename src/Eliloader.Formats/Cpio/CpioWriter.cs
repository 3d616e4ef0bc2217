using System.Text;

namespace Eliloader.Formats.Cpio;

/// <summary>
/// Writes a newc ("070701") archive, the format the kernel unpacks: headers of
/// thirteen hex fields, names and data padded to four bytes, and the trailer.
/// </summary>
public sealed class CpioWriter(Stream output)
{
    private const int BufferSize = 1 << 20;
    private long position;

    /// <summary>Writes a member; <paramref name="data"/> must hold exactly the entry's DataLength bytes.</summary>
    public void WriteEntry(CpioEntry entry, Stream? data)
    {
        WriteHeader(entry);
        if (entry.DataLength > 0)
        {
            if (data is null)
                throw new ArgumentException($"cpio member '{entry.Name}' needs {entry.DataLength} bytes of data");
            var buffer = new byte[Math.Min(BufferSize, entry.DataLength)];
            var remaining = entry.DataLength;
            while (remaining > 0)
            {
                var read = data.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                if (read == 0)
                    throw new InvalidDataException($"the data of cpio member '{entry.Name}' ended {remaining} bytes early");
                Write(buffer.AsSpan(0, read));
                remaining -= read;
            }
            Pad();
        }
    }

    /// <summary>Ends the archive with its trailer.</summary>
    public void Finish()
    {
        WriteHeader(new CpioEntry { Name = CpioEntry.TrailerName, LinkCount = 1 });
        output.Flush();
    }

    private void WriteHeader(CpioEntry entry)
    {
        var name = Encoding.Latin1.GetBytes(entry.Name + "\0");
        var header = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"070701{entry.Inode:X8}{entry.Mode:X8}{entry.Uid:X8}{entry.Gid:X8}{entry.LinkCount:X8}{entry.ModificationTime:X8}{(uint)entry.DataLength:X8}{entry.DevMajor:X8}{entry.DevMinor:X8}{entry.RdevMajor:X8}{entry.RdevMinor:X8}{name.Length:X8}{0:X8}");
        if (entry.DataLength > uint.MaxValue)
            throw new InvalidDataException($"cpio member '{entry.Name}' is larger than newc can record");
        Write(Encoding.ASCII.GetBytes(header));
        Write(name);
        Pad();
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        output.Write(bytes);
        position += bytes.Length;
    }

    private void Pad()
    {
        var padding = (int)((4 - position % 4) % 4);
        if (padding > 0)
            Write(stackalloc byte[padding]);
    }
}
