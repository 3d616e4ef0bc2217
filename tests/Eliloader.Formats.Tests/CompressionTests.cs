using System.IO.Compression;
using System.Text;
using Eliloader.Formats.Compression;

namespace Eliloader.Formats.Tests;

/// <summary>
/// Compression detection, the gzip member reader's header checks and trailer search,
/// and the streams under every reader: peeking, pushing back, skipping padding, bounds.
/// </summary>
public sealed class CompressionTests
{
    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    private static readonly byte[] Hello = Gzip("hello, gzip"u8.ToArray());

    /// <summary>A gzip member with header flags set and the fields they announce, before the deflate data of <see cref="Hello"/>.</summary>
    private static byte[] WithHeader(byte flags, params byte[] fields) => [.. Hello[..3], flags, .. Hello[4..10], .. fields, .. Hello[10..]];

    private static string Gunzip(byte[] member)
    {
        using var stream = RamdiskDecompression.Open(RamdiskCompression.Gzip, new PeekableStream(new MemoryStream(member)));
        return new StreamReader(stream).ReadToEnd();
    }

    private static string Refusal(byte[] member) => Assert.Throws<InvalidDataException>(() => Gunzip(member)).Message;

    [Theory]
    [InlineData(new byte[] { 0x1F, 0x8B, 8 }, RamdiskCompression.Gzip)]
    [InlineData(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0 }, RamdiskCompression.Xz)]
    [InlineData(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x01 }, RamdiskCompression.None)]
    [InlineData(new byte[] { 0x5D, 0x00, 0x00, 0x80 }, RamdiskCompression.LzmaAlone)]
    [InlineData(new byte[] { 0x5D, 0x00, 0x01 }, RamdiskCompression.None)]
    [InlineData(new byte[] { 0x42, 0x5A, 0x68, 0x39 }, RamdiskCompression.Bzip2)]
    [InlineData(new byte[] { 0x42, 0x5A, 0x30 }, RamdiskCompression.None)]
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }, RamdiskCompression.Zstd)]
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F }, RamdiskCompression.None)]
    [InlineData(new byte[] { 0x1F }, RamdiskCompression.None)]
    [InlineData(new byte[] { }, RamdiskCompression.None)]
    public void Compressions_are_told_apart_by_their_magic(byte[] head, RamdiskCompression expected) =>
        Assert.Equal(expected, RamdiskDecompression.Detect(head));

    [Fact]
    public void Only_zstd_reads_past_its_end()
    {
        Assert.False(RamdiskDecompression.EndsExactly(RamdiskCompression.Zstd));
        Assert.All(new[] { RamdiskCompression.Gzip, RamdiskCompression.Xz, RamdiskCompression.LzmaAlone, RamdiskCompression.Bzip2, RamdiskCompression.None },
            compression => Assert.True(RamdiskDecompression.EndsExactly(compression)));
    }

    [Fact]
    public void An_uncompressed_input_is_read_as_it_is()
    {
        using var stream = RamdiskDecompression.Open(RamdiskCompression.None, new PeekableStream(new MemoryStream("plain"u8.ToArray())));
        Assert.Equal("plain", new StreamReader(stream).ReadToEnd());
    }

    [Fact]
    public void Header_fields_are_skipped_as_their_flags_say()
    {
        Assert.Equal("hello, gzip", Gunzip(Hello));
        Assert.Equal("hello, gzip", Gunzip(WithHeader(0x04, 3, 0, 1, 2, 3)));
        Assert.Equal("hello, gzip", Gunzip(WithHeader(0x08, [.. "initrd.cpio"u8, 0])));
        Assert.Equal("hello, gzip", Gunzip(WithHeader(0x10, [.. "a comment"u8, 0])));
        Assert.Equal("hello, gzip", Gunzip(WithHeader(0x02, 0xAB, 0xCD)));
        Assert.Equal("hello, gzip", Gunzip(WithHeader(0x1E, 1, 0, 9, (byte)'n', 0, (byte)'c', 0, 0xAB, 0xCD)));
    }

    [Theory]
    [InlineData(0, 0x1E, "gzip member: header is not a deflate member's")]
    [InlineData(1, 0x8C, "gzip member: header is not a deflate member's")]
    [InlineData(2, 7, "gzip member: header is not a deflate member's")]
    [InlineData(3, 0x20, "gzip member: header is not a deflate member's")]
    [InlineData(3, 0x40, "gzip member: header is not a deflate member's")]
    [InlineData(3, 0x80, "gzip member: header is not a deflate member's")]
    public void A_header_that_is_not_a_deflate_members_is_refused(int at, byte value, string message)
    {
        var member = Hello.ToArray();
        member[at] = value;
        Assert.Equal(message, Assert.Throws<InvalidDataException>(() => new GzipMember(new PeekableStream(new MemoryStream(member)))).Message);
    }

    [Theory]
    [InlineData(9, "gzip member: header is truncated")]
    [InlineData(11, "gzip member: extra field is truncated")]
    [InlineData(13, "gzip member: extra field is truncated")]
    public void A_truncated_header_is_refused(int length, string message) =>
        Assert.Equal(message, Refusal(WithHeader(0x04, 5, 0, 1, 2, 3, 4, 5)[..length]));

    [Theory]
    [InlineData(0x08, "gzip member: file name is truncated")]
    [InlineData(0x10, "gzip member: comment is truncated")]
    [InlineData(0x02, "gzip member: header CRC is truncated")]
    public void A_header_text_or_crc_cut_short_is_refused(byte flag, string message) =>
        Assert.Equal(message, Refusal(WithHeader(flag, 0x41)[..11]));

    [Fact]
    public void A_name_of_65536_bytes_is_skipped_and_one_longer_is_refused()
    {
        var name = Enumerable.Repeat((byte)'n', 1 << 16).ToArray();
        Assert.Equal("hello, gzip", Gunzip(WithHeader(0x08, [.. name, 0])));
        Assert.Equal("gzip member: file name is longer than 65536 bytes", Refusal(WithHeader(0x08, [.. name, (byte)'n', 0])));
    }

    [Fact]
    public void A_trailer_that_does_not_match_is_refused()
    {
        var member = Hello.ToArray();
        member[^8] ^= 1;
        Assert.Equal("gzip member: data does not match its trailer's CRC-32 and length, or the member is truncated", Refusal(member));
        Assert.Equal("gzip member: data does not match its trailer's CRC-32 and length, or the member is truncated", Refusal(Hello[..^1]));
    }

    /// <summary>An input that hands out at most one byte per read, so the inflater stops before the trailer.</summary>
    private sealed class Trickle(byte[] bytes) : ForwardReadStream
    {
        private int at;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (at == bytes.Length || count == 0)
                return 0;
            buffer[offset] = bytes[at++];
            return 1;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_member_ends_at_its_trailer_whether_the_inflater_read_it_or_not(bool trickle)
    {
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 3000).Select(i => i.ToString())));
        byte[] input = [.. Gzip(data), .. "after"u8];
        var peekable = new PeekableStream(trickle ? new Trickle(input) : new MemoryStream(input));
        var unpacked = new MemoryStream();
        RamdiskDecompression.Open(RamdiskCompression.Gzip, peekable).CopyTo(unpacked);
        Assert.Equal(data, unpacked.ToArray());
        Assert.Equal(input.Length - 5, peekable.Position);
        Assert.Equal("after", new StreamReader(peekable).ReadToEnd());
    }

    [Fact]
    public void Members_one_after_another_are_read_as_one_until_something_else_follows()
    {
        byte[] input = [.. Gzip("one "u8.ToArray()), .. Gzip("two"u8.ToArray()), 0, 0x1F, 0x8B];
        var peekable = new PeekableStream(new MemoryStream(input));
        Assert.Equal("one two", new StreamReader(RamdiskDecompression.Open(RamdiskCompression.Gzip, peekable)).ReadToEnd());
        Assert.Equal(new byte[] { 0, 0x1F, 0x8B }, peekable.Peek(10).ToArray());
    }

    [Fact]
    public void Damaged_xz_data_is_invalid_data_naming_xz()
    {
        var xz = Shell.Filter(Encoding.ASCII.GetBytes(new string('x', 10_000) + "tail"), "xz -c");
        xz[^30] ^= 0xFF;
        var stream = RamdiskDecompression.Open(RamdiskCompression.Xz, new PeekableStream(new MemoryStream(xz)));
        Assert.StartsWith("the xz data is damaged: ", Assert.Throws<InvalidDataException>(() => stream.CopyTo(Stream.Null)).Message);
    }

    [Fact]
    public void Peeking_looks_ahead_without_reading()
    {
        var peekable = new PeekableStream(new MemoryStream("abcdef"u8.ToArray()));
        Assert.Equal("abc", Encoding.ASCII.GetString(peekable.Peek(3)));
        Assert.Equal(0, peekable.Position);
        var two = new byte[2];
        Assert.Equal(2, peekable.Read(two, 0, 2));
        Assert.Equal("ab", Encoding.ASCII.GetString(two));
        Assert.Equal("cdef", Encoding.ASCII.GetString(peekable.Peek(10)));
        peekable.PushBack("xy"u8);
        Assert.Equal(0, peekable.Position);
        Assert.Equal("xycdef", new StreamReader(peekable).ReadToEnd());
        Assert.Equal(6, peekable.Position);
        Assert.True(peekable.Peek(1).IsEmpty);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData(200_000)]
    public void Padding_is_skipped_to_the_first_byte_that_is_not_nul(int zeros)
    {
        var peekable = new PeekableStream(new MemoryStream([.. new byte[zeros], 7, 0, 0]));
        Assert.Equal(zeros, peekable.SkipZeros());
        Assert.Equal(zeros, peekable.Position);
        Assert.Equal(7, peekable.ReadByte());
        Assert.Equal(2, peekable.SkipZeros());
        Assert.True(peekable.Peek(1).IsEmpty);
    }

    [Fact]
    public void A_bounded_stream_passes_the_bound_and_refuses_one_byte_more()
    {
        var bounded = new BoundedReadStream(new MemoryStream(new byte[10]), 10);
        Assert.Equal(10, bounded.Read(new byte[20], 0, 20));
        Assert.Equal(10, bounded.Position);
        var over = new BoundedReadStream(new MemoryStream(new byte[11]), 10);
        Assert.Equal("input is larger than 10 bytes", Assert.Throws<LimitExceededException>(() => over.CopyTo(Stream.Null)).Message);
    }

    [Fact]
    public void Forward_streams_neither_seek_nor_write()
    {
        var stream = new BoundedReadStream(new MemoryStream(), 1);
        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
        Assert.Throws<NotSupportedException>(() => stream.Position = 0);
    }
}
