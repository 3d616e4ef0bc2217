using System.Text;
using Eliloader.Formats.OncRpc;

namespace Eliloader.Formats.Tests;

public sealed class XdrTests
{
    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    private static XdrReader Reader(string hex) => new(Convert.FromHexString(hex));

    [Fact]
    public void Writes_integers_big_endian()
    {
        var writer = new XdrWriter().UInt32(0x01020304).UInt64(0x05060708090A0B0C).Bool(true).Bool(false);
        Assert.Equal("01020304" + "05060708090A0B0C" + "00000001" + "00000000", Hex(writer.Written));
        Assert.Equal(20, writer.Length);
    }

    [Theory]
    [InlineData("", "00000000")]
    [InlineData("AA", "00000001AA000000")]
    [InlineData("AABB", "00000002AABB0000")]
    [InlineData("AABBCC", "00000003AABBCC00")]
    [InlineData("AABBCCDD", "00000004AABBCCDD")]
    [InlineData("AABBCCDDEE", "00000005AABBCCDDEE000000")]
    public void Pads_opaque_data_to_four_bytes(string data, string expected) =>
        Assert.Equal(expected, Hex(new XdrWriter().Opaque(Convert.FromHexString(data)).Written));

    [Fact]
    public void Fixed_opaque_data_has_no_length_and_strings_are_utf8()
    {
        Assert.Equal("AABB0000", Hex(new XdrWriter().FixedOpaque([0xAA, 0xBB]).Written));
        Assert.Equal("00000002C3A90000", Hex(new XdrWriter().String("é").Written));
    }

    [Fact]
    public void Grows_past_its_first_buffer_keeping_every_byte()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var writer = new XdrWriter().UInt32(7).Opaque(data).UInt32(9);
        var bytes = writer.ToArray();
        Assert.Equal(4 + 4 + 1000 + 4, bytes.Length);
        Assert.Equal("00000007000003E8", Hex(bytes.AsSpan(0, 8)));
        Assert.Equal(data, bytes[8..1008]);
        Assert.Equal("00000009", Hex(bytes.AsSpan(1008)));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 4)]
    [InlineData(3, 4)]
    [InlineData(4, 4)]
    [InlineData(5, 8)]
    public void Padded_rounds_up_to_four(int length, int padded) => Assert.Equal(padded, XdrReader.Padded(length));

    [Fact]
    public void Reads_integers_and_tracks_its_position()
    {
        var reader = Reader("01020304" + "FFFFFFFFFFFFFFFE" + "00000001" + "00000000");
        Assert.Equal(20, reader.Remaining);
        Assert.Equal(0x01020304u, reader.UInt32("a"));
        Assert.Equal(4, reader.Position);
        Assert.Equal(-2L, reader.Int64("b"));
        Assert.True(reader.Bool("c"));
        Assert.False(reader.Bool("d"));
        Assert.Equal(0, reader.Remaining);
        Assert.Equal(20, reader.Position);
        Assert.Equal(0xFFFFFFFFFFFFFFFEul, Reader("FFFFFFFFFFFFFFFE").UInt64("e"));
    }

    [Fact]
    public void A_boolean_other_than_0_or_1_is_refused()
    {
        var e = Assert.Throws<InvalidDataException>(() => Reader("00000002").Bool("eof"));
        Assert.Equal("XDR: eof is the boolean 2, not 0 or 1", e.Message);
    }

    [Fact]
    public void A_message_that_ends_early_names_the_item()
    {
        Assert.Equal(0x00000001u, Reader("00000001").UInt32("x"));
        var e = Assert.Throws<InvalidDataException>(() => Reader("000001").UInt32("the xid"));
        Assert.Equal("XDR: the message ends inside the xid (3 bytes left, 4 needed)", e.Message);
        Assert.Throws<InvalidDataException>(() => Reader("00000000000000").UInt64("x"));
        Assert.Throws<InvalidDataException>(() => Reader("00000001").Skip(5, "x"));
        var skipped = Reader("0000000100000002");
        skipped.Skip(4, "x");
        Assert.Equal(2u, skipped.UInt32("y"));
    }

    [Fact]
    public void Counts_at_their_bound_are_taken_and_past_it_refused()
    {
        Assert.Equal(3, Reader("00000003").Count(3, "items"));
        Assert.Equal(0, Reader("00000000").Count(0, "items"));
        var e = Assert.Throws<InvalidDataException>(() => Reader("00000004").Count(3, "the gids"));
        Assert.Equal("XDR: the gids counts 4 items, more than the 3 allowed", e.Message);
        Assert.Throws<InvalidDataException>(() => Reader("FFFFFFFF").Count(int.MaxValue, "items"));
    }

    [Fact]
    public void Opaque_data_at_its_bound_is_taken_and_past_it_refused()
    {
        Assert.Equal("AABBCC", Hex(Reader("00000003AABBCC00").Opaque(3, "h").Span));
        Assert.Equal("", Hex(Reader("00000000").Opaque(0, "h").Span));
        var e = Assert.Throws<InvalidDataException>(() => Reader("00000004AABBCCDD").Opaque(3, "the handle"));
        Assert.Equal("XDR: the handle is 4 bytes long, more than the 3 allowed", e.Message);
        Assert.Throws<InvalidDataException>(() => Reader("FFFFFFFF").Opaque(int.MaxValue, "h"));
    }

    [Fact]
    public void Opaque_data_needs_its_padding_and_zeros_in_it()
    {
        var reader = Reader("00000001AA000000" + "00000009");
        Assert.Equal("AA", Hex(reader.Opaque(4, "a").Span));
        Assert.Equal(9u, reader.UInt32("b"));
        Assert.Throws<InvalidDataException>(() => Reader("00000001AA0000").Opaque(4, "a"));
        var e = Assert.Throws<InvalidDataException>(() => Reader("00000001AA000100").Opaque(4, "the data"));
        Assert.Equal("XDR: the data is padded with something other than zeros", e.Message);
        Assert.Throws<InvalidDataException>(() => Reader("AA000001").FixedOpaque(1, "x"));
        Assert.Equal("AABBCCDD", Hex(Reader("AABBCCDD").FixedOpaque(4, "x").Span));
    }

    [Fact]
    public void Strings_are_bounded_and_must_be_utf8()
    {
        Assert.Equal("é", Reader("00000002C3A90000").String(2, "name"));
        Assert.Throws<InvalidDataException>(() => Reader("00000002C3A90000").String(1, "name"));
        var e = Assert.Throws<InvalidDataException>(() => Reader("00000001FF000000").String(4, "the target"));
        Assert.Equal("XDR: the target is not UTF-8", e.Message);
    }
}

public sealed class RecordMarkingTests
{
    private static MemoryStream Stream(string hex) => new(Convert.FromHexString(hex));

    [Fact]
    public void A_header_marks_the_last_fragment_and_its_length()
    {
        var header = new byte[4];
        RecordMarking.WriteHeader(header, 5);
        Assert.Equal("80000005", Convert.ToHexString(header));
        RecordMarking.WriteHeader(header, 0);
        Assert.Equal("80000000", Convert.ToHexString(header));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecordMarking.WriteHeader(new byte[4], -1));
        Assert.Equal((true, 5), RecordMarking.ReadHeader(Convert.FromHexString("80000005")));
        Assert.Equal((false, 5), RecordMarking.ReadHeader(Convert.FromHexString("00000005")));
        Assert.Equal((true, int.MaxValue), RecordMarking.ReadHeader(Convert.FromHexString("FFFFFFFF")));
    }

    [Fact]
    public void Reads_a_record_of_one_fragment_and_leaves_what_follows()
    {
        var stream = Stream("80000003AABBCC" + "80000001DD");
        using (var first = RecordMarking.Read(stream, 3))
            Assert.Equal("AABBCC", Convert.ToHexString(first.Memory.Span));
        using var second = RecordMarking.Read(stream, 3);
        Assert.Equal("DD", Convert.ToHexString(second.Memory.Span));
        Assert.Equal(1, second.Length);
    }

    [Fact]
    public void Joins_the_fragments_of_a_record()
    {
        var big = new byte[300];
        Random.Shared.NextBytes(big);
        var stream = Stream("00000002AABB" + "0000012C" + Convert.ToHexString(big) + "80000001CC");
        using var record = RecordMarking.Read(stream, 303);
        Assert.Equal(303, record.Length);
        Assert.Equal([0xAA, 0xBB, .. big, 0xCC], record.Memory.ToArray());
    }

    [Fact]
    public void A_record_at_its_bound_is_read_and_one_byte_past_it_refused()
    {
        using (var exact = RecordMarking.Read(Stream("00000002AABB80000002CCDD"), 4))
            Assert.Equal(4, exact.Length);
        var e = Assert.Throws<InvalidDataException>(() => RecordMarking.Read(Stream("00000002AABB80000003CCDDEE"), 4));
        Assert.Equal("RPC record of more than 4 bytes (a fragment of 3 after 2)", e.Message);
        Assert.Throws<InvalidDataException>(() => RecordMarking.Read(Stream("80000005AABBCCDDEE"), 4));
        Assert.Throws<InvalidDataException>(() => RecordMarking.Read(Stream("FFFFFFFF"), int.MaxValue - 1));
    }

    [Fact]
    public void An_empty_fragment_must_be_the_last()
    {
        using (var empty = RecordMarking.Read(Stream("80000000"), 4))
            Assert.Equal(0, empty.Length);
        var e = Assert.Throws<InvalidDataException>(() => RecordMarking.Read(Stream("00000001AA00000000"), 4));
        Assert.Equal("RPC record with an empty fragment after 1 bytes that is not the last", e.Message);
    }

    [Fact]
    public void A_connection_that_closes_inside_a_record_is_end_of_stream()
    {
        Assert.Throws<EndOfStreamException>(() => RecordMarking.Read(Stream("800000"), 4));
        Assert.Throws<EndOfStreamException>(() => RecordMarking.Read(Stream("80000004AABB"), 4));
        Assert.Throws<EndOfStreamException>(() => RecordMarking.Read(Stream("00000001AA"), 4));
    }

    [Fact]
    public void A_disposed_record_is_empty()
    {
        var record = RecordMarking.Read(Stream("80000002AABB"), 4);
        record.Dispose();
        Assert.Equal(0, record.Length);
        Assert.True(record.Memory.IsEmpty);
        record.Dispose();
    }
}

public sealed class RpcMessageTests
{
    private static readonly RpcProgram Nfs = new(100003, 3, "NFS");

    [Fact]
    public void An_auth_sys_credential_is_flavor_1_with_its_body_as_opaque_data()
    {
        var writer = new XdrWriter();
        new AuthSys("host", 0, 0, 0x01020304).Write(writer);
        Assert.Equal("00000001" + "00000018" + "01020304" + "00000004" + "686F7374" + "00000000" + "00000000" + "00000000", Convert.ToHexString(writer.Written));
        var other = new XdrWriter();
        new AuthSys("h", 5, 6).Write(other);
        Assert.Equal("00000001" + "00000018" + "00000000" + "00000001" + "68000000" + "00000005" + "00000006" + "00000000", Convert.ToHexString(other.Written));
    }

    [Fact]
    public void A_machine_name_of_255_bytes_is_sent_and_256_refused()
    {
        var writer = new XdrWriter();
        new AuthSys(new string('a', 255), 0, 0).Write(writer);
        Assert.Equal(8 + 4 + 4 + 256 + 12, writer.Length);
        var e = Assert.Throws<ArgumentException>(() => new AuthSys(new string('a', 256), 0, 0).Write(new XdrWriter()));
        Assert.StartsWith("machine name of 256 bytes, more than the 255 AUTH_SYS allows", e.Message);
    }

    [Fact]
    public void A_call_is_one_record_with_header_credential_and_arguments()
    {
        var record = RpcCall.Record(0x11223344, Nfs, 6, new AuthSys("h", 0, 0), [0xAA, 0xBB, 0xCC, 0xDD]);
        Assert.Equal(
            "80000044" + "11223344" + "00000000" + "00000002" + "000186A3" + "00000003" + "00000006"
            + "00000001" + "00000018" + "00000000" + "00000001" + "68000000" + "00000000" + "00000000" + "00000000"
            + "00000000" + "00000000" + "AABBCCDD",
            Convert.ToHexString(record));
    }

    [Fact]
    public void RpcProgram_names_itself()
    {
        Assert.Equal("NFS (program 100003 version 3)", Nfs.ToString());
    }

    private static byte[] Reply(uint xid, Action<XdrWriter> body)
    {
        var writer = new XdrWriter().UInt32(xid).UInt32(1);
        body(writer);
        return writer.ToArray();
    }

    private static byte[] Accepted(uint status, int verifier = 0, params uint[] rest) => Reply(7, w =>
    {
        w.UInt32(0).UInt32(0).Opaque(new byte[verifier]).UInt32(status);
        foreach (var value in rest)
            w.UInt32(value);
    });

    [Fact]
    public void A_successful_reply_leaves_its_results_to_read()
    {
        var reply = RpcReply.Parse(Accepted(0, 0, 42), Nfs);
        Assert.Equal(7u, reply.Xid);
        Assert.Equal(42u, reply.Results.UInt32("result"));
        Assert.Equal(0, reply.Results.Remaining);
    }

    [Fact]
    public void A_verifier_of_400_bytes_is_taken_and_401_refused()
    {
        Assert.Equal(42u, RpcReply.Parse(Accepted(0, 400, 42), Nfs).Results.UInt32("r"));
        Assert.Throws<InvalidDataException>(() => RpcReply.Parse(Accepted(0, 401, 42), Nfs));
    }

    [Fact]
    public void The_xid_is_read_before_parsing()
    {
        Assert.Equal(0x01020304u, RpcReply.XidOf(Convert.FromHexString("01020304")));
        var e = Assert.Throws<InvalidDataException>(() => RpcReply.XidOf(Convert.FromHexString("010203")));
        Assert.Equal("RPC reply of 3 bytes, too short for a transaction id", e.Message);
    }

    [Fact]
    public void A_call_or_an_unknown_reply_status_is_malformed()
    {
        var call = new XdrWriter().UInt32(7).UInt32(0).ToArray();
        Assert.Equal("RPC message of type 0 where a reply (1) was expected", Assert.Throws<InvalidDataException>(() => RpcReply.Parse(call, Nfs)).Message);
        var odd = Reply(7, w => w.UInt32(2));
        Assert.Equal("RPC reply status 2, neither accepted (0) nor denied (1)", Assert.Throws<InvalidDataException>(() => RpcReply.Parse(odd, Nfs)).Message);
        Assert.Equal("RPC accept status 6 is none of 0 to 5", Assert.Throws<InvalidDataException>(() => RpcReply.Parse(Accepted(6), Nfs)).Message);
    }

    [Theory]
    [InlineData(1u, RpcFailure.ProgramUnavailable, "the server does not offer NFS (program 100003)")]
    [InlineData(2u, RpcFailure.ProgramMismatch, "the server offers NFS versions 2 to 4, not 3")]
    [InlineData(3u, RpcFailure.ProcedureUnavailable, "the server does not offer this procedure of NFS (program 100003 version 3)")]
    [InlineData(4u, RpcFailure.GarbageArguments, "the server could not decode the arguments of a NFS (program 100003 version 3) call")]
    [InlineData(5u, RpcFailure.SystemError, "the server failed a NFS (program 100003 version 3) call (system error)")]
    public void A_call_not_run_says_why(uint status, RpcFailure failure, string message)
    {
        var e = Assert.Throws<RpcFailureException>(() => RpcReply.Parse(Accepted(status, 0, 2, 4), Nfs));
        Assert.Equal(failure, e.Failure);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData(1u, "bad credential")]
    [InlineData(2u, "credential rejected; the client must begin a new session")]
    [InlineData(3u, "bad verifier")]
    [InlineData(4u, "verifier expired or replayed")]
    [InlineData(5u, "credential too weak")]
    [InlineData(13u, "auth status 13")]
    public void A_denied_credential_says_why(uint status, string why)
    {
        var e = Assert.Throws<RpcFailureException>(() => RpcReply.Parse(Reply(7, w => w.UInt32(1).UInt32(1).UInt32(status)), Nfs));
        Assert.Equal(RpcFailure.AuthError, e.Failure);
        Assert.Equal($"the server refused the credential of a NFS (program 100003 version 3) call ({why})", e.Message);
    }

    [Fact]
    public void An_rpc_version_mismatch_or_unknown_rejection_is_reported()
    {
        var e = Assert.Throws<RpcFailureException>(() => RpcReply.Parse(Reply(7, w => w.UInt32(1).UInt32(0).UInt32(3).UInt32(4)), Nfs));
        Assert.Equal(RpcFailure.RpcMismatch, e.Failure);
        Assert.Equal("the server speaks RPC versions 3 to 4, not 2", e.Message);
        Assert.Equal("RPC reject status 2 is neither RPC_MISMATCH (0) nor AUTH_ERROR (1)",
            Assert.Throws<InvalidDataException>(() => RpcReply.Parse(Reply(7, w => w.UInt32(1).UInt32(2)), Nfs)).Message);
    }
}
