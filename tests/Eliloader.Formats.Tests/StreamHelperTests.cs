namespace Eliloader.Formats.Tests;

/// <summary>
/// The stream helpers every parser stands on: the size bound on hostile input
/// (BoundedReadStream), the forward-only shape (ForwardReadStream) and looking ahead
/// without consuming (PeekableStream), each checked byte for byte and at its limits.
/// </summary>
public sealed class StreamHelperTests
{
    /// <summary>A source that hands out at most <paramref name="chunk"/> bytes per read, as a pipe or socket does.</summary>
    private sealed class Trickle(byte[] data, int chunk) : ForwardReadStream
    {
        private int at;

        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            var n = Math.Min(Math.Min(count, chunk), data.Length - at);
            data.AsSpan(at, n).CopyTo(buffer.AsSpan(offset));
            at += n;
            return n;
        }
    }

    private static byte[] Bytes(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 1))];

    private static byte[] ReadAll(Stream stream)
    {
        var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }

    [Fact]
    public void A_bounded_stream_passes_exactly_its_limit_and_refuses_one_byte_more()
    {
        var data = Bytes(1000);
        var bounded = new BoundedReadStream(new MemoryStream(data), 1000);
        Assert.Equal(data, ReadAll(bounded));
        Assert.Equal(1000, bounded.Position);

        var over = new BoundedReadStream(new MemoryStream(Bytes(1001)), 1000);
        Assert.Equal("input is larger than 1000 bytes", Assert.Throws<LimitExceededException>(() => ReadAll(over)).Message);
    }

    [Fact]
    public void A_bounded_stream_counts_bytes_across_reads_and_says_where_it_is()
    {
        var bounded = new BoundedReadStream(new Trickle(Bytes(10), 3), 10);
        var buffer = new byte[10];
        Assert.Equal(3, bounded.Read(buffer, 0, 10));
        Assert.Equal(3, bounded.Position);
        Assert.Equal(3, bounded.Read(buffer, 3, 7));
        Assert.Equal(6, bounded.Position);
        Assert.Equal(Bytes(6), buffer[..6]);
        Assert.Throws<NotSupportedException>(() => bounded.Position = 0);

        var small = new BoundedReadStream(new Trickle(Bytes(10), 4), 7);
        Assert.Equal(4, small.Read(buffer, 0, 10));
        Assert.Equal("input is larger than 7 bytes", Assert.Throws<LimitExceededException>(() => small.Read(buffer, 0, 10)).Message);
    }

    [Fact]
    public void A_forward_stream_reads_only_forward()
    {
        Stream stream = new Trickle(Bytes(4), 4);
        Assert.Equal((true, false, false), (stream.CanRead, stream.CanSeek, stream.CanWrite));
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Position);
        Assert.Throws<NotSupportedException>(() => stream.Position = 1);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(1));
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
        stream.Flush();
        Assert.Equal(Bytes(4), ReadAll(stream));
    }

    [Fact]
    public void Peeking_gathers_the_bytes_asked_for_from_short_reads_without_consuming_them()
    {
        var data = Bytes(100);
        var peekable = new PeekableStream(new Trickle(data, 3));
        Assert.Equal(data[..10], peekable.Peek(10).ToArray());
        Assert.Equal(0, peekable.Position);
        // A shorter look is served from what is held; a longer one reads only the rest.
        Assert.Equal(data[..4], peekable.Peek(4).ToArray());
        Assert.Equal(data[..20], peekable.Peek(20).ToArray());
        Assert.Equal(data, ReadAll(peekable));
        Assert.Equal(100, peekable.Position);
        Assert.Equal(0, peekable.Peek(5).Length);
    }

    [Fact]
    public void A_read_takes_held_bytes_first_and_then_reads_on()
    {
        var data = Bytes(50);
        var peekable = new PeekableStream(new MemoryStream(data));
        peekable.Peek(8);
        var buffer = new byte[30];
        Assert.Equal(5, peekable.Read(buffer, 2, 5));
        Assert.Equal(data[..5], buffer[2..7]);
        Assert.Equal(0, buffer[0]);
        Assert.Equal(5, peekable.Position);
        // Three held bytes remain: a read returns them alone, then the source is read directly.
        Assert.Equal(3, peekable.Read(buffer, 0, 30));
        Assert.Equal(data[5..8], buffer[..3]);
        Assert.Equal(8, peekable.Position);
        Assert.Equal(30, peekable.Read(buffer, 0, 30));
        Assert.Equal(data[8..38], buffer);
        Assert.Equal(38, peekable.Position);
        // Looking ahead after the held bytes were used keeps the stream's order.
        Assert.Equal(data[38..42], peekable.Peek(4).ToArray());
        Assert.Equal(data[38..], ReadAll(peekable));
        Assert.Equal(50, peekable.Position);
    }

    [Fact]
    public void A_peek_after_part_of_the_held_bytes_were_read_keeps_the_rest_in_front()
    {
        var data = Bytes(40);
        var peekable = new PeekableStream(new Trickle(data, 40));
        peekable.Peek(10);
        var buffer = new byte[6];
        peekable.ReadExactly(buffer);
        // Four held bytes (6..10) move to the front of the same buffer, and six more are read behind them.
        Assert.Equal(data[6..16], peekable.Peek(10).ToArray());
        Assert.Equal(6, peekable.Position);
        // Again, with a look larger than the buffer: it grows and keeps the held bytes.
        peekable.ReadExactly(buffer.AsSpan(0, 3));
        Assert.Equal(data[9..34], peekable.Peek(25).ToArray());
        Assert.Equal(data[9..], ReadAll(peekable));
    }

    [Fact]
    public void Pushed_back_bytes_are_read_again_before_held_ones()
    {
        var data = Bytes(20);
        var peekable = new PeekableStream(new MemoryStream(data));
        var buffer = new byte[8];
        peekable.ReadExactly(buffer);
        peekable.Peek(4);
        peekable.PushBack(buffer.AsSpan(5, 3));
        Assert.Equal(5, peekable.Position);
        Assert.Equal(data[5..12], peekable.Peek(7).ToArray());
        Assert.Equal(data[5..], ReadAll(peekable));
        Assert.Equal(20, peekable.Position);
    }

    [Fact]
    public void Skipping_zeros_stops_at_the_first_data_byte_across_blocks()
    {
        // 200,000 NULs: more than three 64 KiB looks, through a source that reads in odd chunks.
        byte[] data = [.. new byte[200_000], 9, 0, 8];
        var peekable = new PeekableStream(new Trickle(data, 5000));
        Assert.Equal(200_000, peekable.SkipZeros());
        Assert.Equal(200_000, peekable.Position);
        Assert.Equal(0, peekable.SkipZeros());
        Assert.Equal([9, 0, 8], ReadAll(peekable));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData(131_072)]
    public void Skipping_zeros_to_the_end_counts_them_all(int zeros)
    {
        var peekable = new PeekableStream(new MemoryStream(new byte[zeros]));
        Assert.Equal(zeros, peekable.SkipZeros());
        Assert.Equal(zeros, peekable.Position);
        Assert.Equal(0, peekable.Read(new byte[1], 0, 1));
    }

    [Fact]
    public void Skipping_zeros_looks_ahead_in_blocks_of_64_KiB()
    {
        var source = new Trickle(new byte[65_536 * 2 + 10], 1 << 20);
        Assert.Equal(65_536 * 2 + 10, new PeekableStream(source).SkipZeros());
        // Two full blocks, one short block and the read that finds the end.
        Assert.Equal(4, source.Reads);
    }

    [Fact]
    public void A_peekable_stream_has_no_settable_position() =>
        Assert.Throws<NotSupportedException>(() => new PeekableStream(new MemoryStream()).Position = 0);
}
