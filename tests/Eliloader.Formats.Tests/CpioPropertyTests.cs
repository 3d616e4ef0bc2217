using CsCheck;
using Eliloader.Formats.Cpio;

namespace Eliloader.Formats.Tests;

/// <summary>Generated archives: what the writer writes the reader reads back, and damaged input only ever fails cleanly.</summary>
public sealed class CpioPropertyTests
{
    private static readonly uint[] Types = [CpioEntry.RegularFile, CpioEntry.Directory, CpioEntry.SymbolicLink, 0x2000];

    private static readonly Gen<(CpioEntry Entry, byte[] Data)> Member =
        Gen.Select(
            Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789._-"], 1, 24].List[1, 4],
            Gen.Int[0, Types.Length - 1],
            Gen.UInt[0, 0xFFF],
            Gen.Byte.Array[0, 3000],
            Gen.UInt[0, 255],
            (parts, type, permissions, data, minor) =>
            {
                var name = string.Join('/', parts.Select(p => p.Trim('.') is { Length: > 0 } trimmed ? trimmed : "x"));
                var mode = Types[type] | permissions;
                var body = Types[type] is CpioEntry.RegularFile or CpioEntry.SymbolicLink ? data : [];
                var entry = new CpioEntry
                {
                    Name = name,
                    Mode = mode,
                    Uid = permissions,
                    Gid = minor,
                    DataLength = body.Length,
                    RdevMajor = Types[type] == 0x2000 ? 5u : 0u,
                    RdevMinor = Types[type] == 0x2000 ? minor : 0u,
                    ModificationTime = permissions * 1000,
                };
                return (entry, body);
            });

    private static byte[] Write(IEnumerable<(CpioEntry Entry, byte[] Data)> members)
    {
        var output = new MemoryStream();
        var writer = new CpioWriter(output);
        foreach (var (entry, data) in members)
            writer.WriteEntry(entry, new MemoryStream(data));
        writer.Finish();
        return output.ToArray();
    }

    [Fact]
    public void What_the_writer_writes_the_reader_reads_back() =>
        Member.List[0, 30].Sample(members =>
        {
            var archive = Write(members);
            Assert.Equal(0, archive.Length % 4);
            var reader = new CpioReader(new MemoryStream(archive), new CpioLimits());
            foreach (var (expected, data) in members)
            {
                var entry = reader.GetNextEntry();
                Assert.NotNull(entry);
                Assert.Equal(expected with { Format = CpioFormat.Newc }, entry);
                var read = new MemoryStream();
                reader.DataStream.CopyTo(read);
                Assert.Equal(data, read.ToArray());
            }
            Assert.Null(reader.GetNextEntry());
        }, iter: 300);

    [Fact]
    public void Damaged_archives_fail_only_with_invalid_data()
    {
        var damage = Gen.Select(Member.List[1, 10], Gen.Int[0, 10_000], Gen.Byte, Gen.Bool);
        damage.Sample((members, at, value, truncate) =>
        {
            var archive = Write(members);
            var position = at % archive.Length;
            var damaged = truncate ? archive[..position] : archive.ToArray();
            if (!truncate)
                damaged[position] = value;
            try
            {
                var reader = new InitramfsReader(new MemoryStream(damaged), 1 << 20, new CpioLimits(MaxEntries: 100, MaxNameLength: 256));
                while (reader.GetNextEntry() is not null)
                    reader.DataStream.CopyTo(Stream.Null);
            }
            catch (InvalidDataException)
            {
                // The one way a damaged archive may end.
            }
        }, iter: 500);
    }

    [Fact]
    public void Normalized_names_never_climb_or_start_at_the_root() =>
        Gen.String[Gen.Char["./ab"], 0, 12].Sample(name =>
        {
            try
            {
                var normal = CpioNames.Normalize(name);
                Assert.False(normal.StartsWith('/'));
                Assert.DoesNotContain("..", normal.Split('/'));
            }
            catch (InvalidDataException)
            {
                // Refused names are fine.
            }
        }, iter: 2000);
}
