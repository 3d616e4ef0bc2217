using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Eliloader.Formats.Cpio;

using static Eliloader.Formats.Tests.CpioArchives;

namespace Eliloader.Formats.Tests;

/// <summary>
/// The cpio reader's and the overlay's guards, each at its limit and one past it, on
/// archives written in memory: name length, member count, the unpacking bound shared by
/// segments, old binary archives of both byte orders, and the inode numbers the overlay
/// writes.
/// </summary>
public sealed class CpioBoundaryTests
{
    private static (CpioEntry Entry, byte[] Data) Member(string name, string text = "", uint inode = 1, uint mode = UnixFileType.RegularFile | 0b110_100_100) =>
        (new CpioEntry { Name = name, Mode = mode, Inode = inode, DataLength = Encoding.ASCII.GetByteCount(text), DevMajor = 8, DevMinor = 1 }, Encoding.ASCII.GetBytes(text));

    private static List<CpioEntry> ReadAll(byte[] archive, CpioLimits limits, long bound = long.MaxValue)
    {
        var reader = new InitramfsReader(new MemoryStream(archive), bound, limits);
        var entries = new List<CpioEntry>();
        while (reader.GetNextEntry() is { } entry)
            entries.Add(entry);
        return entries;
    }

    [Fact]
    public void A_name_of_the_limit_is_read_and_one_byte_longer_is_refused()
    {
        var limits = new CpioLimits(MaxNameLength: 10);
        Assert.Equal("abcde/ghij", Assert.Single(ReadAll(Archive(Member("abcde/ghij")), limits)).Name);
        var error = Assert.Throws<InvalidDataException>(() => ReadAll(Archive(Member("abcde/ghijk")), limits));
        Assert.Equal("cpio member at byte 110 has a name of 12 bytes", error.Message);
    }

    [Fact]
    public void A_name_without_its_nul_is_refused()
    {
        var archive = Archive(Member("abc"));
        archive[110 + 3] = (byte)'d';
        Assert.Equal("cpio member name 'abcd' is not NUL-terminated", Assert.Throws<InvalidDataException>(() => ReadAll(archive, new CpioLimits())).Message);
    }

    [Fact]
    public void An_empty_name_size_is_refused()
    {
        var archive = Archive(Member("abc"));
        Encoding.ASCII.GetBytes("00000000").CopyTo(archive, 6 + 11 * 8);
        Assert.Equal("cpio member at byte 110 has a name of 0 bytes", Assert.Throws<InvalidDataException>(() => ReadAll(archive, new CpioLimits())).Message);
    }

    [Fact]
    public void Members_up_to_the_limit_are_read_and_one_more_is_refused()
    {
        var limits = new CpioLimits(MaxEntries: 3);
        Assert.Equal(["a", "b", "c"], ReadAll(Archive(Member("a"), Member("b"), Member("c")), limits).Select(e => e.Name));
        var error = Assert.Throws<InvalidDataException>(() => ReadAll(Archive(Member("a"), Member("b"), Member("c"), Member("d")), limits));
        Assert.Equal("cpio archive has more than 3 members", error.Message);
    }

    [Fact]
    public void The_trailer_does_not_count_as_a_member()
    {
        Assert.Single(ReadAll(Archive(Member("a")), new CpioLimits(MaxEntries: 1)));
    }

    [Fact]
    public void A_header_field_that_is_not_hexadecimal_is_refused()
    {
        var archive = Archive(Member("a"));
        archive[6 + 8] = (byte)'g';
        Assert.Equal("cpio header field 1 is not hexadecimal: 'g00081A4'", Assert.Throws<InvalidDataException>(() => ReadAll(archive, new CpioLimits())).Message);
    }

    [Fact]
    public void Garbage_where_a_header_belongs_is_named_with_its_offset()
    {
        byte[] archive = [.. Archive(Member("a", "x"))[..^124], .. Encoding.ASCII.GetBytes("079999" + new string('0', 104))];
        var error = Assert.Throws<InvalidDataException>(() => ReadAll(archive, new CpioLimits()));
        Assert.Equal("no cpio header at byte 116 (found '079999')", error.Message);
    }

    /// <summary>The archive as the crc format writes it: magic 070702 and each regular file's byte sum in field 12.</summary>
    private static byte[] AsCrc(byte[] newc, params uint[] sums)
    {
        var crc = newc.ToArray();
        var at = 0;
        foreach (var sum in sums)
        {
            crc[at + 5] = (byte)'2';
            Encoding.ASCII.GetBytes(sum.ToString("X8")).CopyTo(crc, at + 6 + 12 * 8);
            var nameSize = Convert.ToInt32(Encoding.ASCII.GetString(crc, at + 6 + 11 * 8, 8), 16);
            var dataSize = Convert.ToInt32(Encoding.ASCII.GetString(crc, at + 6 + 6 * 8, 8), 16);
            at = (at + 110 + nameSize + 3) / 4 * 4;
            at = (at + dataSize + 3) / 4 * 4;
        }
        crc[at + 5] = (byte)'2';
        return crc;
    }

    [Fact]
    public void A_crc_archive_is_checked_against_the_sum_of_each_regular_files_bytes()
    {
        // "ab" sums to 0xC3; a directory's field is not checked.
        var archive = Archive(Member("f", "ab"), Member("d", "", mode: UnixFileType.Directory | 0b111_101_101));
        Assert.Equal(["f", "d"], ReadAll(AsCrc(archive, 0xC3, 0x1234)).Select(e => e.Name));
        var error = Assert.Throws<InvalidDataException>(() => ReadAll(AsCrc(archive, 0xC4, 0)));
        Assert.Equal("cpio member 'f' fails its checksum (000000c3, header says 000000c4)", error.Message);
    }

    private static List<CpioEntry> ReadAll(byte[] archive) => ReadAll(archive, new CpioLimits());

    [Theory]
    [InlineData(2, "cpio archive ends inside a header at byte 2")]
    [InlineData(50, "cpio archive ends inside a header at byte 50")]
    [InlineData(111, "cpio archive ends inside a name at byte 111")]
    [InlineData(114, "cpio archive ends inside padding at byte 114")]
    [InlineData(117, "cpio archive ends inside the data of 'abc' (2 bytes missing)")]
    [InlineData(122, "cpio archive ends inside a header at byte 122")]
    public void A_truncated_archive_says_where(int length, string message)
    {
        var archive = Archive(Member("abc", "xyz"));
        Assert.Equal(message, Assert.Throws<InvalidDataException>(() => ReadAll(archive[..length]).ForEach(_ => { })).Message);
    }

    [Fact]
    public void A_truncated_old_binary_header_says_where() =>
        Assert.Equal("cpio archive ends inside a header at byte 10",
            Assert.Throws<InvalidDataException>(() => ReadAll(OldBinary(false, "a", [], 0x81A4, 0)[..10])).Message);

    [Theory]
    [InlineData(new byte[] { 0x71, 0x00 }, "no cpio header at byte 0 (found 'q')")]
    [InlineData(new byte[] { 0xC7, 0x00 }, "no cpio header at byte 0 (found '\\xc7')")]
    [InlineData(new byte[] { 0x20, 0x7F, 0x1F, 0x41, 0x80, 0x7E }, "no cpio header at byte 0 (found ' \\x7f\\x1fA\\x80~')")]
    public void Bytes_that_are_not_a_header_are_shown_escaped(byte[] head, string message)
    {
        var input = new byte[120];
        head.CopyTo(input, 0);
        var reader = new CpioReader(new MemoryStream(input), new CpioLimits());
        Assert.Equal(message, Assert.Throws<InvalidDataException>(() => reader.GetNextEntry()).Message);
    }

    [Fact]
    public void Data_not_read_is_skipped_and_two_bytes_of_magic_alone_are_a_truncated_header()
    {
        byte[] archive = [.. Archive(Member("a", new string('a', 100_000)), Member("b", "bb"))[..^124], .. "07"u8];
        var reader = new InitramfsReader(new MemoryStream(archive), long.MaxValue, new CpioLimits());
        Assert.Equal("a", reader.GetNextEntry()!.Name);
        Assert.Equal("b", reader.GetNextEntry()!.Name);
        Assert.StartsWith("cpio archive ends inside a header at byte ", Assert.Throws<InvalidDataException>(() => reader.GetNextEntry()).Message);
    }

    [Fact]
    public void Garbage_inside_a_compressed_segment_is_named_at_its_unpacked_byte()
    {
        var archive = Archive(Member("a", "x"));
        var initramfs = Gzip([.. archive, .. "#!"u8]);
        var error = Assert.Throws<InvalidDataException>(() => ReadAll(initramfs));
        Assert.Equal($"the initramfs holds data that is neither cpio nor a known compression (2321) at unpacked byte {archive.Length}", error.Message);
    }

    [Fact]
    public void The_first_compressed_segment_names_the_compression()
    {
        var plain = Archive(Member("a", "x"));
        var reader = new InitramfsReader(new MemoryStream([.. plain, .. Gzip(plain), 0, 0, 0, 0, .. Shell.Filter(plain, "xz -c")]), long.MaxValue, new CpioLimits());
        Assert.Equal(Compression.RamdiskCompression.None, reader.Compression);
        while (reader.GetNextEntry() is not null)
        {
        }
        Assert.Equal(Compression.RamdiskCompression.Gzip, reader.Compression);
    }

    [Theory]
    [InlineData(UnixFileType.RegularFile, 2u, 0L, CpioFormat.Newc, true)]
    [InlineData(UnixFileType.RegularFile, 2u, 0L, CpioFormat.Crc, true)]
    [InlineData(UnixFileType.RegularFile, 1u, 0L, CpioFormat.Newc, false)]
    [InlineData(UnixFileType.RegularFile, 2u, 5L, CpioFormat.Newc, false)]
    [InlineData(UnixFileType.Directory, 2u, 0L, CpioFormat.Newc, false)]
    [InlineData(UnixFileType.RegularFile, 2u, 0L, CpioFormat.Odc, false)]
    [InlineData(UnixFileType.RegularFile, 2u, 0L, CpioFormat.BinaryLittleEndian, false)]
    public void Only_a_newc_or_crc_regular_file_with_more_links_and_no_data_waits_for_its_data(uint type, uint links, long length, CpioFormat format, bool earlier) =>
        Assert.Equal(earlier, PendingLinks.IsEarlierLink(new CpioEntry { Name = "x", Mode = type | 0b110_100_100, LinkCount = links, DataLength = length, Format = format }));

    [Fact]
    public void Held_names_are_released_only_by_a_name_of_the_same_file_with_more_links()
    {
        var links = new PendingLinks();
        var first = new CpioEntry { Name = "a", Mode = UnixFileType.RegularFile, LinkCount = 2, Inode = 9, DevMajor = 1 };
        links.Hold(first);
        Assert.Empty(links.Release(first with { Name = "b", LinkCount = 1 }));
        Assert.Empty(links.Release(first with { Name = "b", DevMajor = 2 }));
        Assert.Equal([first], links.Remaining());
        Assert.Equal([first], links.Release(first with { Name = "b", DataLength = 4 }));
        Assert.Empty(links.Remaining());
        Assert.Equal(UnixFileType.RegularFile, first.Type);
    }

    /// <summary>The overlay's output: each member's name, inode, size and data.</summary>
    private static List<string> Overlaid(byte[] vendor, byte[] overlay)
    {
        var output = new MemoryStream();
        InitramfsOverlay.Rewrite(new MemoryStream(vendor), () => new MemoryStream(overlay), output, 1 << 20, new CpioLimits());
        var reader = new CpioReader(new MemoryStream(output.ToArray()), new CpioLimits());
        var written = new List<string>();
        while (reader.GetNextEntry() is { } entry)
            written.Add($"{entry.Name} {entry.Inode} {entry.DataLength} {new StreamReader(reader.DataStream).ReadToEnd()}");
        return written;
    }

    [Fact]
    public void When_the_overlay_replaces_the_name_with_the_data_the_last_kept_name_carries_it()
    {
        var link = UnixFileType.RegularFile | 0b110_100_100;
        var vendor = Archive(
            (new CpioEntry { Name = "a", Mode = link, Inode = 7, LinkCount = 3 }, []),
            (new CpioEntry { Name = "b", Mode = link, Inode = 7, LinkCount = 3 }, []),
            (new CpioEntry { Name = "c", Mode = link, Inode = 7, LinkCount = 3, DataLength = 4 }, "data"u8.ToArray()));
        Assert.Equal(["a 1 0 ", "b 1 4 data", "c 2 1 n"], Overlaid(vendor, Archive(Member("c", "n", inode: 1))));
    }

    [Fact]
    public void Hard_linked_empty_files_keep_every_name()
    {
        var link = UnixFileType.RegularFile | 0b110_100_100;
        var vendor = Archive(
            (new CpioEntry { Name = "x", Mode = link, Inode = 5, LinkCount = 2 }, []),
            (new CpioEntry { Name = "y", Mode = link, Inode = 5, LinkCount = 2 }, []));
        Assert.Equal(["x 1 0 ", "y 1 0 ", "z 2 0 "], Overlaid(vendor, Archive(Member("z"))));
    }

    [Fact]
    public void The_writer_writes_only_the_length_it_was_told_and_refuses_what_newc_cannot_record()
    {
        var output = new MemoryStream();
        var writer = new CpioWriter(output);
        writer.WriteEntry(Member("a", "abc").Entry, new MemoryStream("abcdef"u8.ToArray()));
        writer.Finish();
        Assert.Equal("abc", new StreamReader(new CpioReader(new MemoryStream(output.ToArray()), new CpioLimits()) is var reader && reader.GetNextEntry() is not null ? reader.DataStream : Stream.Null).ReadToEnd());
        var huge = Member("h").Entry;
        Assert.Equal("cpio member 'h' is larger than newc can record",
            Assert.Throws<InvalidDataException>(() => writer.WriteEntry(huge with { DataLength = uint.MaxValue + 1L }, null)).Message);
        Assert.Equal("cpio member 'h' needs 4294967295 bytes of data",
            Assert.Throws<ArgumentException>(() => writer.WriteEntry(huge with { DataLength = uint.MaxValue }, null)).Message);
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    [Fact]
    public void Segments_share_one_unpacking_bound_exactly()
    {
        var first = Archive(Member("a", new string('a', 3000)));
        var second = Archive(Member("b", new string('b', 5000)));
        // NULs between the two: gzip members back to back would be one segment.
        byte[] initramfs = [.. Gzip(first), 0, 0, 0, 0, .. Gzip(second)];
        var total = first.Length + second.Length;
        Assert.Equal(["a", "b"], ReadAll(initramfs, new CpioLimits(), total).Select(e => e.Name));
        var error = Assert.Throws<LimitExceededException>(() => ReadAll(initramfs, new CpioLimits(), total - 1));
        Assert.Equal($"input is larger than {second.Length - 1} bytes", error.Message);
    }

    [Fact]
    public void A_plain_segment_does_not_count_against_the_unpacking_bound()
    {
        var plain = Archive(Member("early", new string('e', 9000)));
        var compressed = Archive(Member("main", "m"));
        byte[] initramfs = [.. plain, .. Gzip(compressed)];
        Assert.Equal(["early", "main"], ReadAll(initramfs, new CpioLimits(), compressed.Length).Select(e => e.Name));
    }

    [Fact]
    public void Padding_across_many_blocks_between_segments_is_skipped()
    {
        byte[] initramfs = [.. Archive(Member("a", "1")), .. new byte[(1 << 16) * 2 + 3], .. Gzip(Archive(Member("b", "2"))), .. new byte[70_001]];
        Assert.Equal(["a", "b"], ReadAll(initramfs, new CpioLimits()).Select(e => e.Name));
    }

    /// <summary>An old binary header (26 bytes, magic 070707 as a 16-bit word), the name and data padded to two bytes.</summary>
    private static byte[] OldBinary(bool bigEndian, string name, byte[] data, ushort mode, uint mtime, ushort uid = 1000, ushort gid = 100, ushort rdev = 0x0501)
    {
        var output = new MemoryStream();
        void Word(uint value)
        {
            Span<byte> word = stackalloc byte[2];
            if (bigEndian)
                BinaryPrimitives.WriteUInt16BigEndian(word, (ushort)value);
            else
                BinaryPrimitives.WriteUInt16LittleEndian(word, (ushort)value);
            output.Write(word);
        }
        void Padded(byte[] bytes)
        {
            output.Write(bytes);
            if (bytes.Length % 2 != 0)
                output.WriteByte(0);
        }
        foreach (var (entryName, entryData, entryMode) in new[] { (name, data, mode), ("TRAILER!!!", Array.Empty<byte>(), (ushort)0) })
        {
            var nameBytes = Encoding.ASCII.GetBytes(entryName + "\0");
            Word(0x71C7);
            Word(0x0803);
            Word(42);
            Word(entryMode);
            Word(uid);
            Word(gid);
            Word(1);
            Word(rdev);
            Word(mtime >> 16);
            Word(mtime & 0xFFFF);
            Word((uint)nameBytes.Length);
            Word((uint)(entryData.Length >> 16));
            Word((uint)(entryData.Length & 0xFFFF));
            Padded(nameBytes);
            Padded(entryData);
        }
        return output.ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Old_binary_archives_of_either_byte_order_are_read(bool bigEndian)
    {
        var data = new byte[70_001];
        new Random(5).NextBytes(data);
        var archive = OldBinary(bigEndian, "bin/odd", data, 0x81ED, 0x6553_F100);
        var reader = new CpioReader(new MemoryStream(archive), new CpioLimits());
        var entry = reader.GetNextEntry()!;
        Assert.Equal(bigEndian ? CpioFormat.BinaryBigEndian : CpioFormat.BinaryLittleEndian, entry.Format);
        Assert.Equal(("bin/odd", 0x81EDu, 1000u, 100u, 42u, 0x6553_F100u, 70_001L), (entry.Name, entry.Mode, entry.Uid, entry.Gid, entry.Inode, entry.ModificationTime, entry.DataLength));
        Assert.Equal((8u, 3u, 5u, 1u, 1u), (entry.DevMajor, entry.DevMinor, entry.RdevMajor, entry.RdevMinor, entry.LinkCount));
        var read = new MemoryStream();
        reader.DataStream.CopyTo(read);
        Assert.Equal(data, read.ToArray());
        Assert.Null(reader.GetNextEntry());
        Assert.Equal(archive.Length, reader.Position);
    }

    [Fact]
    public void An_odc_archive_is_read_field_by_field()
    {
        // dev 0o4001 (8,1), inode 42, mode 0o100644, uid 1000, gid 100, 1 link, rdev 0o2401 (5,1), mtime, name size, size.
        var header = "070707" + "004001" + "000052" + "100644" + "001750" + "000144" + "000001" + "002401" + "14524770400" + "000004" + "00000000003";
        byte[] archive = [.. Encoding.ASCII.GetBytes(header + "abc\0xyz"), .. Encoding.ASCII.GetBytes("070707" + new string('0', 6 * 7) + "00000000000" + "000013" + "00000000000" + "TRAILER!!!\0")];
        var reader = new CpioReader(new MemoryStream(archive), new CpioLimits());
        var entry = reader.GetNextEntry()!;
        Assert.Equal(("abc", CpioFormat.Odc, 42u, 0x81A4u, 1000u, 100u, 3L), (entry.Name, entry.Format, entry.Inode, entry.Mode, entry.Uid, entry.Gid, entry.DataLength));
        Assert.Equal((8u, 1u, 5u, 1u, 0x6553_F100u), (entry.DevMajor, entry.DevMinor, entry.RdevMajor, entry.RdevMinor, entry.ModificationTime));
        Assert.Equal("xyz", new StreamReader(reader.DataStream).ReadToEnd());
        Assert.Null(reader.GetNextEntry());
        archive[7] = (byte)'8';
        Assert.Equal("cpio header field '084001' is not octal", Assert.Throws<InvalidDataException>(() => new CpioReader(new MemoryStream(archive), new CpioLimits()).GetNextEntry()).Message);
    }

    [Fact]
    public void The_overlay_renumbers_inodes_per_archive_keeping_hard_links_together()
    {
        // Vendor: a and b one file (inode 7, data on the last name), c another file with inode 7 on another device.
        var link = UnixFileType.RegularFile | 0b110_100_100;
        var vendor = Archive(
            (new CpioEntry { Name = "a", Mode = link, Inode = 7, LinkCount = 2, DevMajor = 8, DevMinor = 1 }, []),
            (new CpioEntry { Name = "b", Mode = link, Inode = 7, LinkCount = 2, DevMajor = 8, DevMinor = 1, DataLength = 2 }, "ab"u8.ToArray()),
            (new CpioEntry { Name = "c", Mode = link, Inode = 7, DevMajor = 9, DevMinor = 1, DataLength = 1 }, "c"u8.ToArray()));
        // Overlay: d with inode 7 too, and the vendor's c replaced.
        var overlay = Archive(
            (new CpioEntry { Name = "d", Mode = link, Inode = 7, DevMajor = 8, DevMinor = 1, DataLength = 1 }, "d"u8.ToArray()),
            (new CpioEntry { Name = "./c", Mode = link, Inode = 3, DevMajor = 8, DevMinor = 1, DataLength = 2 }, "c2"u8.ToArray()));
        var output = new MemoryStream();
        InitramfsOverlay.Rewrite(new MemoryStream(vendor), () => new MemoryStream(overlay), output, 1 << 20, new CpioLimits());
        var reader = new CpioReader(new MemoryStream(output.ToArray()), new CpioLimits());
        var written = new List<string>();
        while (reader.GetNextEntry() is { } entry)
            written.Add($"{entry.Name} {entry.Inode} {entry.DevMajor}:{entry.DevMinor} {entry.Format} {entry.LinkCount} {new StreamReader(reader.DataStream).ReadToEnd()}");
        Assert.Equal(["a 1 0:0 Newc 2 ", "b 1 0:0 Newc 2 ab", "d 2 0:0 Newc 1 d", "./c 3 0:0 Newc 1 c2"], written);
    }

    [Fact]
    public void Append_puts_the_overlay_on_a_four_byte_boundary_after_the_vendor_bytes()
    {
        var output = new MemoryStream();
        InitramfsOverlay.Append(new MemoryStream([1, 2, 3, 4, 5]), new MemoryStream([9, 9]), output);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 0, 0, 0, 9, 9 }, output.ToArray());
        output = new MemoryStream();
        InitramfsOverlay.Append(new MemoryStream([1, 2, 3, 4]), new MemoryStream([9]), output);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 9 }, output.ToArray());
    }

    [Fact]
    public void The_writer_pads_names_and_data_to_four_bytes_and_refuses_short_data()
    {
        var archive = Archive(Member("ab", "xyz"));
        Assert.Equal("070701", Encoding.ASCII.GetString(archive, 0, 6));
        // Header 110, name "ab\0" to 116, data 3 bytes to 120, then the trailer's header.
        Assert.Equal("ab\0\0\0\0", Encoding.ASCII.GetString(archive, 110, 6));
        Assert.Equal("xyz\0", Encoding.ASCII.GetString(archive, 116, 4));
        Assert.Equal("070701", Encoding.ASCII.GetString(archive, 120, 6));
        Assert.Equal(0, archive.Length % 4);
        var writer = new CpioWriter(new MemoryStream());
        Assert.Equal("the data of cpio member 'x' ended 2 bytes early",
            Assert.Throws<InvalidDataException>(() => writer.WriteEntry(Member("x", "abc").Entry, new MemoryStream([1]))).Message);
        Assert.Equal("cpio member 'y' needs 3 bytes of data", Assert.Throws<ArgumentException>(() => writer.WriteEntry(Member("y", "abc").Entry, null)).Message);
    }
}
