using System.IO.Compression;
using System.Text;
using CsCheck;
using Eliloader.Formats.Compression;
using Eliloader.Formats.Cpio;

namespace Eliloader.Formats.Tests;

/// <summary>
/// Initramfs segments read as the kernel reads them: plain and gzip segments in any
/// order, padding between, each gzip member checked against its trailer, and nothing
/// that is not a segment accepted after one.
/// </summary>
public sealed class InitramfsSegmentTests
{
    private static readonly CpioLimits Limits = new();

    /// <summary>A newc archive of files named and filled as given, with its trailer.</summary>
    private static byte[] Archive(params (string Name, string Text)[] files)
    {
        var output = new MemoryStream();
        var writer = new CpioWriter(output);
        foreach (var (name, text) in files)
        {
            var data = Encoding.UTF8.GetBytes(text);
            writer.WriteEntry(new CpioEntry { Name = name, Mode = UnixFileType.RegularFile | 0b110_100_100, DataLength = data.Length, Inode = (uint)name.Length }, new MemoryStream(data));
        }
        writer.Finish();
        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data, string? fileName = null)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        var bytes = output.ToArray();
        if (fileName is null)
            return bytes;
        // gzip(1) without -n stores the name: flag FNAME, the name and a NUL after the 10-byte header.
        bytes[3] |= 0x08;
        return [.. bytes[..10], .. Encoding.ASCII.GetBytes(fileName), 0, .. bytes[10..]];
    }

    private static List<string> Read(byte[] initramfs)
    {
        var reader = new InitramfsReader(new MemoryStream(initramfs), 1 << 20, Limits);
        var seen = new List<string>();
        while (reader.GetNextEntry() is { } entry)
            seen.Add($"{entry.Name}={new StreamReader(reader.DataStream).ReadToEnd()}");
        return seen;
    }

    [Fact]
    public void A_plain_archive_after_a_gzip_segment_is_read_too()
    {
        byte[] initramfs = [.. Gzip(Archive(("init", "vendor"), ("etc/release", "12"))), 0, 0, 0, 0, .. Archive(("init", "overlay"))];
        Assert.Equal(["init=vendor", "etc/release=12", "init=overlay"], Read(initramfs));
    }

    [Fact]
    public void Microcode_then_gzip_then_plain_then_gzip_with_a_stored_name()
    {
        byte[] initramfs =
        [
            .. Archive(("kernel/x86/microcode/GenuineIntel.bin", "ucode")), .. Gzip(Archive(("init", "one"))),
            .. Archive(("extra", "two")), .. new byte[512], .. Gzip(Archive(("init", "three")), "initrd.cpio"),
        ];
        Assert.Equal(["kernel/x86/microcode/GenuineIntel.bin=ucode", "init=one", "extra=two", "init=three"], Read(initramfs));
    }

    [Fact]
    public void Gzip_members_one_after_another_are_one_segment_even_mid_archive()
    {
        var archive = Archive(("a", new string('a', 5000)), ("b", "bee"));
        byte[] initramfs = [.. Gzip(archive[..3000]), .. Gzip(archive[3000..])];
        Assert.Equal([$"a={new string('a', 5000)}", "b=bee"], Read(initramfs));
    }

    [Fact]
    public void Garbage_after_a_gzip_segment_is_refused_with_its_offset()
    {
        var segment = Gzip(Archive(("init", "vendor")));
        byte[] initramfs = [.. segment, .. "#!/bin/sh"u8];
        var error = Assert.Throws<InvalidDataException>(() => Read(initramfs));
        Assert.Contains($"neither cpio nor a known compression (23212F62696E) at byte {segment.Length}", error.Message);
    }

    [Fact]
    public void A_gzip_member_whose_data_does_not_match_its_trailer_is_refused()
    {
        var segment = Gzip(Archive(("init", "vendor")));
        segment[^6] ^= 0xFF; // the stored length
        Assert.Contains("does not match its trailer", Assert.Throws<InvalidDataException>(() => Read(segment)).Message);
    }

    [Fact]
    public void A_truncated_gzip_member_is_refused()
    {
        var segment = Gzip(Archive(("init", new string('x', 100_000))));
        Assert.Throws<InvalidDataException>(() => Read(segment[..(segment.Length - 20)]));
    }

    [Fact]
    public void Every_segment_counts_against_one_unpacking_bound()
    {
        var big = Gzip(Archive(("a", new string('a', 700_000))));
        byte[] initramfs = [.. big, .. Gzip(Archive(("b", new string('b', 700_000))))];
        Assert.Throws<LimitExceededException>(() => Read(initramfs));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void A_gigabyte_of_compressed_zeros_reaches_the_bound_within_a_second()
    {
        // About a megabyte of gzip: to the reader it is NUL padding, so it must be skipped in blocks, not byte by byte.
        var bomb = new MemoryStream();
        using (var gzip = new GZipStream(bomb, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 1024; i++)
                gzip.Write(zeros);
        }
        Assert.InRange(bomb.Length, 1, 2 << 20);
        var reader = new InitramfsReader(new MemoryStream(bomb.ToArray()), 128 << 20, Limits);
        var cpu = ThreadCpu.Measure(() =>
            Assert.Equal("input is larger than 134217728 bytes", Assert.Throws<LimitExceededException>(() => reader.GetNextEntry()).Message));
        Assert.True(cpu < TimeSpan.FromSeconds(1), $"{cpu.TotalSeconds:F2} s of CPU");
    }

    [Theory]
    [InlineData("xz -c --check=crc32")]
    [InlineData("xz -c --check=crc64")]
    [InlineData("lzma -c")]
    [InlineData("bzip2 -c")]
    public void A_plain_archive_after_an_xz_lzma_or_bzip2_segment_is_read_too(string compress)
    {
        byte[] initramfs = [.. Shell.Filter(Archive(("init", "vendor"), ("big", new string('z', 200_000))), compress), .. Archive(("init", "overlay"))];
        Assert.Equal(["init=vendor", $"big={new string('z', 200_000)}", "init=overlay"], Read(initramfs));
    }

    [Fact]
    public void Bzip2_streams_one_after_another_are_one_segment_as_pbzip2_writes_them()
    {
        var archive = Archive(("a", new string('a', 5000)), ("b", "bee"));
        byte[] initramfs = [.. Shell.Filter(archive[..3000], "bzip2 -c"), .. Shell.Filter(archive[3000..], "bzip2 -c")];
        Assert.Equal([$"a={new string('a', 5000)}", "b=bee"], Read(initramfs));
    }

    [Theory]
    [InlineData("xz -c")]
    [InlineData("bzip2 -c")]
    public void Garbage_after_an_xz_or_bzip2_segment_is_refused(string compress)
    {
        var segment = Shell.Filter(Archive(("init", "vendor")), compress);
        var error = Assert.Throws<InvalidDataException>(() => Read([.. segment, .. "#!/bin/sh"u8]));
        Assert.Contains($"at byte {segment.Length}", error.Message);
    }

    [Fact]
    public void Damaged_zstd_data_is_invalid_data_naming_zstd()
    {
        var segment = Shell.Filter(Archive(("init", new string('q', 50_000))), "zstd -q -c");
        segment[segment.Length / 2] ^= 0xFF;
        segment[segment.Length / 2 + 1] ^= 0xFF;
        Assert.Contains("the zstd data is damaged", Assert.Throws<InvalidDataException>(() => Read(segment)).Message);
    }

    [Fact]
    public void A_truncated_zstd_segment_is_invalid_data_naming_zstd()
    {
        var segment = Shell.Filter(Archive(("init", new string('q', 50_000))), "zstd -q -c");
        Assert.StartsWith("the zstd data is truncated: ", Assert.Throws<InvalidDataException>(() => Read(segment[..^10])).Message);
    }

    [Fact]
    public void An_lzma_header_cut_short_is_invalid_data()
    {
        var segment = Shell.Filter(Archive(("init", "vendor")), "lzma -c");
        Assert.Equal("the LZMA header is truncated", Assert.Throws<InvalidDataException>(() => Read(segment[..12])).Message);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void A_gzip_member_ends_exactly_where_its_trailer_does_whatever_follows()
    {
        Gen.Select(Gen.Byte.Array[0, 300_000], Gen.Byte.Array[0, 64], Gen.Int[0, 2]).Sample((data, after, level) =>
        {
            if (after is [0x1F, 0x8B, ..])
                return;
            var output = new MemoryStream();
            using (var gzip = new GZipStream(output, (CompressionLevel)level, leaveOpen: true))
                gzip.Write(data);
            var input = new PeekableStream(new MemoryStream([.. output.ToArray(), .. after]));
            var unpacked = new MemoryStream();
            RamdiskDecompression.Open(RamdiskCompression.Gzip, input).CopyTo(unpacked);
            Assert.Equal(data, unpacked.ToArray());
            var rest = new MemoryStream();
            input.CopyTo(rest);
            Assert.Equal(after, rest.ToArray());
        }, iter: 200);
    }
}
