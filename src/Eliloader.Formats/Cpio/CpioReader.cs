using System.Text;

namespace Eliloader.Formats.Cpio;

/// <summary>
/// Reads one cpio archive (newc, crc, odc or old binary, mixed freely, as the kernel
/// accepts) from a forward-only stream, in the spirit of System.Formats.Tar's reader:
/// each entry's data is a stream that is valid until the next entry is asked for.
/// Names are kept byte for byte (Latin-1). A truncated or malformed archive, or one
/// past the limits, is an InvalidDataException naming where.
/// </summary>
public sealed class CpioReader(Stream input, CpioLimits limits)
{
    private long position;
    private int entries;
    private CpioDataStream? current;

    /// <summary>The current entry's data.</summary>
    public Stream DataStream => current ?? throw new InvalidOperationException("no current entry");

    /// <summary>The next entry, or null once the trailer has been read.</summary>
    public CpioEntry? GetNextEntry()
    {
        current?.SkipRest();
        Align(current?.Format);
        var start = position;
        var magic = new byte[6];
        ReadExactly(magic.AsSpan(0, 2), "a header");
        (CpioEntry Entry, int NameSize) parsed;
        if (magic[0] == 0xC7 && magic[1] == 0x71 || magic[0] == 0x71 && magic[1] == 0xC7)
        {
            var header = new byte[CpioHeaderReader.BinaryHeader];
            magic.AsSpan(0, 2).CopyTo(header);
            ReadExactly(header.AsSpan(2), "a header");
            parsed = CpioHeaderReader.Binary(header, littleEndian: magic[0] == 0xC7);
        }
        else
        {
            ReadExactly(magic.AsSpan(2), "a header");
            var text = Encoding.ASCII.GetString(magic);
            var size = text is "070707" ? CpioHeaderReader.OdcHeader : CpioHeaderReader.NewcHeader;
            var header = new byte[size];
            magic.CopyTo(header, 0);
            ReadExactly(header.AsSpan(6), "a header");
            parsed = text switch
            {
                "070701" => CpioHeaderReader.Svr4(header, CpioFormat.Newc),
                "070702" => CpioHeaderReader.Svr4(header, CpioFormat.Crc),
                "070707" => CpioHeaderReader.Odc(header),
                _ => throw new InvalidDataException($"no cpio header at byte {start} (found '{Escape(magic)}')"),
            };
        }
        var (entry, nameSize) = parsed;
        if (nameSize < 1 || nameSize > limits.MaxNameLength + 1)
            throw new InvalidDataException($"cpio member at byte {position} has a name of {nameSize} bytes");
        var name = new byte[nameSize];
        ReadExactly(name, "a name");
        if (name[^1] != 0)
            throw new InvalidDataException($"cpio member name '{Escape(name)}' is not NUL-terminated");
        entry = entry with { Name = Encoding.Latin1.GetString(name, 0, nameSize - 1) };
        if (entry.Name == CpioEntry.TrailerName)
        {
            Align(entry.Format);
            current = null;
            return null;
        }
        if (++entries > limits.MaxEntries)
            throw new InvalidDataException($"cpio archive has more than {limits.MaxEntries} members");
        Align(entry.Format);
        current = new CpioDataStream(this, entry);
        return entry;
    }

    /// <summary>Bytes consumed so far from the input, headers, names, data and padding included.</summary>
    public long Position => position;

    internal int ReadData(Span<byte> buffer)
    {
        var read = input.Read(buffer);
        position += read;
        return read;
    }

    private void ReadExactly(Span<byte> buffer, string what)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var read = ReadData(buffer[done..]);
            if (read == 0)
                throw new InvalidDataException($"cpio archive ends inside {what} at byte {position}");
            done += read;
        }
    }

    private void Align(CpioFormat? format)
    {
        var unit = format switch
        {
            CpioFormat.Newc or CpioFormat.Crc => 4,
            CpioFormat.BinaryLittleEndian or CpioFormat.BinaryBigEndian => 2,
            _ => 1,
        };
        var padding = (int)((unit - position % unit) % unit);
        if (padding > 0)
            ReadExactly(stackalloc byte[padding], "padding");
    }

    private static string Escape(byte[] bytes) =>
        string.Concat(bytes.TakeWhile(b => b != 0).Take(64).Select(b => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:x2}"));

    /// <summary>The data of the current entry; for a regular file in the crc format the sum is checked at its end.</summary>
    private sealed class CpioDataStream(CpioReader reader, CpioEntry entry) : ForwardReadStream
    {
        private long remaining = entry.DataLength;
        private uint sum;

        public CpioFormat Format => entry.Format;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (remaining == 0)
                return 0;
            var read = reader.ReadData(buffer.AsSpan(offset, (int)Math.Min(count, remaining)));
            if (read == 0)
                throw new InvalidDataException($"cpio archive ends inside the data of '{entry.Name}' ({remaining} bytes missing)");
            remaining -= read;
            // GNU cpio and the kernel sum the data of regular files only.
            if (entry.Format == CpioFormat.Crc && entry.Type == UnixFileType.RegularFile)
            {
                foreach (var b in buffer.AsSpan(offset, read))
                    sum += b;
                if (remaining == 0 && sum != entry.Checksum)
                    throw new InvalidDataException($"cpio member '{entry.Name}' fails its checksum ({sum:x8}, header says {entry.Checksum:x8})");
            }
            return read;
        }

        public void SkipRest()
        {
            var buffer = new byte[81920];
            while (Read(buffer, 0, buffer.Length) > 0)
            {
            }
        }
    }
}
