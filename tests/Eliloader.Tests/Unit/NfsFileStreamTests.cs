using Eliloader.Formats.Nfs;
using Eliloader.Formats.OncRpc;
using Eliloader.Repositories;
using Eliloader.Repositories.Nfs;

namespace Eliloader.Tests.Unit;

/// <summary>
/// The pipelined reader against a server that misbehaves on purpose (the real ganesha
/// of the integration tests never sends short or early-ending READs): the file's bytes
/// in order whatever the server does, and a clear failure when it ends too soon.
/// </summary>
public sealed class NfsFileStreamTests
{
    /// <summary>A server holding one file; <paramref name="answer"/> decides how much of each READ it sends, and whether it says eof.</summary>
    private sealed class ScriptedServer(byte[] file, uint maxRead, Func<PendingRead, (int Count, bool Eof)> answer) : INfsClient
    {
        private uint nextXid;

        public List<PendingRead> Sent { get; } = [];
        public List<uint> Forgotten { get; } = [];
        public int MostInFlight { get; private set; }
        private int inFlight;

        public string Version => "NFSv4.0";
        public string Connection => "scripted";
        public uint MaxRead => maxRead;

        public NfsNode? Lookup(NfsNode directory, string name) => throw new NotSupportedException();
        public string ReadLink(NfsNode link) => throw new NotSupportedException();
        public NfsAttributes GetAttr(NfsNode node) => throw new NotSupportedException();

        public PendingRead SendRead(NfsNode node, ulong offset, uint count)
        {
            var read = new PendingRead(nextXid++, offset, count);
            Sent.Add(read);
            MostInFlight = Math.Max(MostInFlight, ++inFlight);
            return read;
        }

        public (RpcResult Reply, NfsRead Read) ReceiveRead(PendingRead read)
        {
            inFlight--;
            var (count, eof) = answer(read);
            var data = file.AsMemory((int)read.Offset, count);
            return (new RpcResult(new PooledRecord(), new XdrReader(data)), new NfsRead(data, eof));
        }

        public void Forget(PendingRead read) => Forgotten.Add(read.Xid);

        public void Dispose()
        {
        }
    }

    private static byte[] File(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

    private static NfsNode Node(int size) => new([1], new NfsAttributes(NfsFileType.Regular, (ulong)size, null));

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy, 1000);
        return copy.ToArray();
    }

    [Fact]
    public void Reads_go_out_four_at_a_time_in_chunks_the_server_takes()
    {
        var file = File(10_000);
        var server = new ScriptedServer(file, 1024, read => ((int)read.Count, read.Offset + read.Count == 10_000));
        using var stream = new NfsFileStream(server, Node(file.Length), "nfs:h:/f");
        Assert.Equal(file, ReadAll(stream));
        Assert.Equal(NfsFileStream.Window, server.MostInFlight);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (ulong)(i * 1024)), server.Sent.Select(r => r.Offset));
        Assert.Equal([.. Enumerable.Repeat(1024u, 9), 784u], server.Sent.Select(r => r.Count));
    }

    [Fact]
    public void A_read_never_asks_for_more_than_1_MiB()
    {
        var server = new ScriptedServer(File(3 << 20), uint.MaxValue, read => ((int)read.Count, false));
        using var stream = new NfsFileStream(server, Node(3 << 20), "nfs:h:/f");
        Assert.Equal(3 << 20, ReadAll(stream).Length);
        Assert.All(server.Sent, read => Assert.Equal(NfsFileStream.Chunk, read.Count));
    }

    [Fact]
    public void A_short_read_is_followed_by_one_for_the_rest_before_any_later_range()
    {
        var file = File(4096);
        var server = new ScriptedServer(file, 1024, read => (Math.Min((int)read.Count, 300), false));
        using var stream = new NfsFileStream(server, Node(file.Length), "nfs:h:/f");
        Assert.Equal(file, ReadAll(stream));
        Assert.Equal((300ul, 724u), (server.Sent[4].Offset, server.Sent[4].Count));
    }

    [Theory]
    [InlineData(true, 500)]
    [InlineData(false, 0)]
    public void A_file_that_ends_before_its_size_is_a_failure_naming_it(bool eof, int count)
    {
        var server = new ScriptedServer(File(4096), 1024, read => read.Offset == 1024 ? (count, eof) : ((int)read.Count, false));
        using var stream = new NfsFileStream(server, Node(4096), "nfs:h:/f");
        var e = Assert.Throws<SourceUnavailableException>(() => ReadAll(stream));
        Assert.Equal("nfs:h:/f", e.Url);
        Assert.Equal($"the file ended after {1024 + count} of the 4096 bytes GETATTR stated", e.Reason);
    }

    [Fact]
    public void An_empty_file_sends_no_read()
    {
        var server = new ScriptedServer([], 1024, _ => (0, true));
        using var stream = new NfsFileStream(server, Node(0), "nfs:h:/f");
        Assert.Empty(ReadAll(stream));
        Assert.Empty(server.Sent);
    }

    [Fact]
    public void Closing_early_forgets_the_reads_in_flight()
    {
        var server = new ScriptedServer(File(8192), 1024, read => ((int)read.Count, false));
        var stream = new NfsFileStream(server, Node(8192), "nfs:h:/f");
        Assert.Equal(10, stream.Read(new byte[10]));
        stream.Dispose();
        Assert.Equal([1u, 2u, 3u], server.Forgotten);
    }
}
