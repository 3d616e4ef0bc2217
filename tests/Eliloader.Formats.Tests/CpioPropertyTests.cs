using CsCheck;
using Eliloader.Formats.Cpio;

using static Eliloader.Formats.Tests.CpioArchives;

namespace Eliloader.Formats.Tests;

/// <summary>Generated archives: what the writer writes the reader reads back, and damaged input only ever fails cleanly.</summary>
public sealed class CpioPropertyTests
{
    private static readonly uint[] Types = [UnixFileType.RegularFile, UnixFileType.Directory, UnixFileType.SymbolicLink, UnixFileType.CharacterDevice];

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
                var body = Types[type] is UnixFileType.RegularFile or UnixFileType.SymbolicLink ? data : [];
                var entry = new CpioEntry
                {
                    Name = name,
                    Mode = mode,
                    Uid = permissions,
                    Gid = minor,
                    DataLength = body.Length,
                    RdevMajor = Types[type] == UnixFileType.CharacterDevice ? 5u : 0u,
                    RdevMinor = Types[type] == UnixFileType.CharacterDevice ? minor : 0u,
                    ModificationTime = permissions * 1000,
                };
                return (entry, body);
            });

    [Fact]
    public void What_the_writer_writes_the_reader_reads_back() =>
        Member.List[0, 30].Sample(members =>
        {
            var archive = Archive(members);
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
            var archive = Archive(members);
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

    /// <summary>An initramfs of two segments, the second compressed by the reference tool, to be damaged.</summary>
    private static byte[] CompressedInitramfs(string compress)
    {
        var random = new Random(14);
        var archive = Archive(Enumerable.Range(0, 6).Select(i =>
        {
            var data = new byte[random.Next(0, 5000)];
            random.NextBytes(data.AsSpan(0, data.Length / 2));
            return (new CpioEntry { Name = $"dir/file{i}", Mode = UnixFileType.RegularFile | 0b110_100_100, DataLength = data.Length }, data);
        }));
        return [.. archive, .. Shell.Filter(archive, compress)];
    }

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData("gzip -n")]
    [InlineData("xz")]
    [InlineData("lzma")]
    [InlineData("bzip2")]
    [InlineData("zstd -q")]
    public void Damaged_compressed_segments_fail_only_with_invalid_data_or_a_limit(string compress)
    {
        var initramfs = CompressedInitramfs(compress);
        var archiveLength = initramfs.Length / 2;
        var damage = Gen.Select(Gen.Int[0, initramfs.Length - 1], Gen.Byte, (offset, value) => (Offset: offset, Value: value));
        Gen.Select(damage.Array[1, 3], Gen.Int[0, 5]).Sample((damages, cut) =>
        {
            var damaged = initramfs.ToArray();
            foreach (var (offset, value) in damages)
                damaged[offset] = value;
            if (cut == 5)
                damaged = damaged[..(damaged.Length - damages[0].Offset % archiveLength)];
            try
            {
                var reader = new InitramfsReader(new MemoryStream(damaged), 1 << 20, new CpioLimits(MaxEntries: 100, MaxNameLength: 256));
                while (reader.GetNextEntry() is not null)
                    reader.DataStream.CopyTo(Stream.Null);
            }
            catch (Exception e) when (e is InvalidDataException or LimitExceededException)
            {
                // The two ways a damaged initramfs may end.
            }
        }, iter: 400);
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
