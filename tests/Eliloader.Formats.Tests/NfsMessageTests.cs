using Eliloader.Formats.Nfs;
using Eliloader.Formats.OncRpc;

namespace Eliloader.Formats.Tests;

public sealed class NfsMessageTests
{
    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    private static XdrReader Read(XdrWriter writer) => new(writer.ToArray());

    /// <summary>fattr3 with the given type, size and ctime; every other field distinct, to be skipped.</summary>
    private static XdrWriter FileAttributes3(XdrWriter w, uint type = 1, ulong size = 0x0102030405, uint ctime = 1700000000, uint nanoseconds = 7) =>
        w.UInt32(type).UInt32(0x1A4).UInt32(1).UInt32(2).UInt32(3).UInt64(size).UInt64(99).UInt32(4).UInt32(5)
            .UInt64(6).UInt64(8).UInt32(9).UInt32(10).UInt32(11).UInt32(12).UInt32(ctime).UInt32(nanoseconds);

    [Fact]
    public void Portmapper_asks_for_a_program_over_tcp()
    {
        Assert.Equal("000186A5" + "00000003" + "00000006" + "00000000", Hex(Portmapper.GetPortArguments(Mount3.Program)));
        Assert.Equal(100000u, Portmapper.Program.Number);
        Assert.Equal(2u, Portmapper.Program.Version);
    }

    [Theory]
    [InlineData(0u, null)]
    [InlineData(1u, 1)]
    [InlineData(65535u, 65535)]
    public void Portmapper_ports_up_to_65535_are_taken(uint answer, int? port) =>
        Assert.Equal(port, Portmapper.ReadPort(Read(new XdrWriter().UInt32(answer))));

    [Fact]
    public void A_portmapper_port_past_65535_is_refused() =>
        Assert.Equal("portmapper: port 65536 is past 65535", Assert.Throws<InvalidDataException>(() => Portmapper.ReadPort(Read(new XdrWriter().UInt32(65536)))).Message);

    [Fact]
    public void Mount_paths_up_to_1024_bytes_are_sent()
    {
        Assert.Equal("00000004" + "2F737276", Hex(Mount3.PathArguments("/srv")));
        Assert.Equal(4 + 1024, Mount3.PathArguments("/" + new string('a', 1023)).Length);
        var e = Assert.Throws<ArgumentException>(() => Mount3.PathArguments("/" + new string('a', 1024)));
        Assert.StartsWith("an export path of 1025 bytes, more than the 1024 MOUNT allows", e.Message);
    }

    [Fact]
    public void Mnt_gives_the_handle_of_an_export_that_takes_auth_sys()
    {
        var handle = Enumerable.Range(1, 64).Select(i => (byte)i).ToArray();
        Assert.Equal(handle, Mount3.ReadMnt(Read(new XdrWriter().UInt32(0).Opaque(handle).UInt32(2).UInt32(390003).UInt32(1))));
        Assert.Equal([0xAB], Mount3.ReadMnt(Read(new XdrWriter().UInt32(0).Opaque([0xAB]).UInt32(0))));
        Assert.Throws<InvalidDataException>(() => Mount3.ReadMnt(Read(new XdrWriter().UInt32(0).Opaque(new byte[65]).UInt32(0))));
    }

    [Fact]
    public void Mnt_of_an_export_without_auth_sys_or_with_too_many_flavors_is_refused()
    {
        var e = Assert.Throws<InvalidDataException>(() => Mount3.ReadMnt(Read(new XdrWriter().UInt32(0).Opaque([1]).UInt32(2).UInt32(390003).UInt32(390004))));
        Assert.Equal("MOUNT: the export accepts auth flavors 390003, 390004, not AUTH_SYS (1)", e.Message);
        var flavors = new XdrWriter().UInt32(0).Opaque([1]).UInt32(64);
        for (var i = 0; i < 64; i++)
            flavors.UInt32(1);
        Assert.Equal([1], Mount3.ReadMnt(Read(flavors)));
        var tooMany = new XdrWriter().UInt32(0).Opaque([1]).UInt32(65);
        for (var i = 0; i < 65; i++)
            tooMany.UInt32(1);
        Assert.Throws<InvalidDataException>(() => Mount3.ReadMnt(Read(tooMany)));
    }

    [Fact]
    public void Mnt_refused_is_a_status_naming_mnt()
    {
        var e = Assert.Throws<NfsStatusException>(() => Mount3.ReadMnt(Read(new XdrWriter().UInt32(13))));
        Assert.Equal("MNT failed: ACCES (13)", e.Message);
        Assert.Equal("MNT", e.Operation);
        Assert.Equal(13u, e.Status);
    }

    [Fact]
    public void Nfs3_arguments_are_the_handle_then_what_the_procedure_takes()
    {
        Assert.Equal("00000002AABB0000", Hex(Nfs3.HandleArguments([0xAA, 0xBB])));
        Assert.Equal("00000002AABB0000" + "00000003" + "61626300", Hex(Nfs3.LookupArguments([0xAA, 0xBB], "abc")));
        Assert.Equal("00000001AA000000" + "0000000100000002" + "00100000", Hex(Nfs3.ReadArguments([0xAA], 0x100000002, 1 << 20)));
        Assert.Equal(4 + 64, Nfs3.HandleArguments(new byte[64]).Length);
        Assert.Throws<ArgumentException>(() => Nfs3.HandleArguments(new byte[65]));
        Assert.Equal((100003u, 3u), (Nfs3.Program.Number, Nfs3.Program.Version));
        Assert.Equal((100005u, 3u), (Mount3.Program.Number, Mount3.Program.Version));
    }

    [Fact]
    public void Getattr3_gives_type_size_and_change_time()
    {
        var attributes = Nfs3.ReadGetAttr(Read(FileAttributes3(new XdrWriter().UInt32(0))));
        Assert.Equal(new NfsAttributes(NfsFileType.Regular, 0x0102030405, new NfsTime(1700000000, 7)), attributes);
        Assert.Equal("1700000000.000000007", attributes.ChangeTime.ToString());
        Assert.Null(attributes.MaxRead);
    }

    [Theory]
    [InlineData(0u, false)]
    [InlineData(1u, true)]
    [InlineData(7u, true)]
    [InlineData(8u, false)]
    public void Nfs3_file_types_are_1_to_7(uint type, bool taken)
    {
        var reader = Read(FileAttributes3(new XdrWriter().UInt32(0), type));
        if (taken)
            Assert.Equal((NfsFileType)type, Nfs3.ReadGetAttr(reader).Type);
        else
            Assert.Equal($"NFS: file type {type} is none of 1 to 7", Assert.Throws<InvalidDataException>(() => Nfs3.ReadGetAttr(reader)).Message);
    }

    [Fact]
    public void Times_take_up_to_999999999_nanoseconds()
    {
        Assert.Equal(999_999_999u, Nfs3.ReadGetAttr(Read(FileAttributes3(new XdrWriter().UInt32(0), nanoseconds: 999_999_999))).ChangeTime!.Value.Nanoseconds);
        var e = Assert.Throws<InvalidDataException>(() => Nfs3.ReadGetAttr(Read(FileAttributes3(new XdrWriter().UInt32(0), nanoseconds: 1_000_000_000))));
        Assert.Equal("NFS: the change time has 1000000000 nanoseconds, more than a second", e.Message);
        Assert.Equal("-1.000000000", new NfsTime(-1, 0).ToString());
    }

    [Fact]
    public void A_status_names_the_operation_and_the_error()
    {
        var e = Assert.Throws<NfsStatusException>(() => Nfs3.ReadGetAttr(Read(new XdrWriter().UInt32(70))));
        Assert.Equal("GETATTR failed: STALE (70)", e.Message);
        Assert.Equal("LOOKUP failed: NOENT (2)", Assert.Throws<NfsStatusException>(() => Nfs3.ReadLookup(Read(new XdrWriter().UInt32(2).Bool(false)))).Message);
        Assert.Equal("READLINK failed: INVAL (22)", Assert.Throws<NfsStatusException>(() => Nfs3.ReadReadLink(Read(new XdrWriter().UInt32(22)))).Message);
        Assert.Equal("READ failed: IO (5)", Assert.Throws<NfsStatusException>(() => Nfs3.ReadRead(Read(new XdrWriter().UInt32(5)), 1)).Message);
        Assert.Equal("FSINFO failed: SERVERFAULT (10006)", Assert.Throws<NfsStatusException>(() => Nfs3.ReadFsInfo(Read(new XdrWriter().UInt32(10006)))).Message);
    }

    [Fact]
    public void Lookup3_gives_the_handle_with_or_without_attributes()
    {
        var handle = new byte[64];
        handle[63] = 9;
        var (found, attributes) = Nfs3.ReadLookup(Read(FileAttributes3(new XdrWriter().UInt32(0).Opaque(handle).Bool(true), type: 2).Bool(false)));
        Assert.Equal(handle, found);
        Assert.Equal(NfsFileType.Directory, attributes!.Type);
        var (bare, none) = Nfs3.ReadLookup(Read(FileAttributes3(new XdrWriter().UInt32(0).Opaque([1]).Bool(false).Bool(true))));
        Assert.Equal([1], bare);
        Assert.Null(none);
        Assert.Throws<InvalidDataException>(() => Nfs3.ReadLookup(Read(new XdrWriter().UInt32(0).Opaque(new byte[65]).Bool(false).Bool(false))));
    }

    [Fact]
    public void Readlink3_targets_up_to_4096_bytes_are_taken()
    {
        Assert.Equal("../a", Nfs3.ReadReadLink(Read(new XdrWriter().UInt32(0).Bool(false).String("../a"))));
        Assert.Equal(4096, Nfs3.ReadReadLink(Read(FileAttributes3(new XdrWriter().UInt32(0).Bool(true), type: 5).String(new string('a', 4096)))).Length);
        Assert.Throws<InvalidDataException>(() => Nfs3.ReadReadLink(Read(new XdrWriter().UInt32(0).Bool(false).String(new string('a', 4097)))));
    }

    private static XdrWriter Read3(uint count, byte[] data, bool eof = false) =>
        new XdrWriter().UInt32(0).Bool(false).UInt32(count).Bool(eof).Opaque(data);

    [Fact]
    public void Read3_gives_the_bytes_asked_for_or_fewer()
    {
        var read = Nfs3.ReadRead(Read(Read3(3, [1, 2, 3], eof: true)), 3);
        Assert.Equal([1, 2, 3], read.Data.ToArray());
        Assert.True(read.Eof);
        var shorter = Nfs3.ReadRead(Read(FileAttributes3(new XdrWriter().UInt32(0).Bool(true)).UInt32(2).Bool(false).Opaque([1, 2])), 3);
        Assert.Equal([1, 2], shorter.Data.ToArray());
        Assert.False(shorter.Eof);
    }

    [Fact]
    public void Read3_with_more_than_asked_or_a_count_that_lies_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => Nfs3.ReadRead(Read(Read3(4, [1, 2, 3, 4])), 3));
        var e = Assert.Throws<InvalidDataException>(() => Nfs3.ReadRead(Read(Read3(2, [1, 2, 3])), 3));
        Assert.Equal("NFS: READ states a count of 2 and carries 3 bytes", e.Message);
        Assert.Throws<InvalidDataException>(() => Nfs3.ReadRead(Read(Read3(4, [1, 2, 3])), 3));
    }

    [Fact]
    public void NfsRead_refuses_more_than_asked()
    {
        Assert.Equal(3, NfsRead.Checked(new byte[3], false, 3).Data.Length);
        Assert.True(NfsRead.Checked(new byte[0], true, 0).Eof);
        Assert.Equal("NFS: READ returned 4 bytes where 3 were asked for", Assert.Throws<InvalidDataException>(() => NfsRead.Checked(new byte[4], false, 3)).Message);
    }

    [Fact]
    public void Fsinfo3_gives_the_largest_read()
    {
        var reply = FileAttributes3(new XdrWriter().UInt32(0).Bool(true), type: 2).UInt32(1 << 20).UInt32(65536);
        Assert.Equal(1u << 20, Nfs3.ReadFsInfo(Read(reply)));
        Assert.Equal(1u, Nfs3.ReadFsInfo(Read(new XdrWriter().UInt32(0).Bool(false).UInt32(1))));
        Assert.Equal("NFS: FSINFO states a largest READ of 0 bytes", Assert.Throws<InvalidDataException>(() => Nfs3.ReadFsInfo(Read(new XdrWriter().UInt32(0).Bool(false).UInt32(0)))).Message);
    }

    [Theory]
    [InlineData(1u, "PERM (1)", true)]
    [InlineData(2u, "NOENT (2)", true)]
    [InlineData(5u, "IO (5)", false)]
    [InlineData(6u, "NXIO (6)", false)]
    [InlineData(13u, "ACCES (13)", true)]
    [InlineData(20u, "NOTDIR (20)", true)]
    [InlineData(21u, "ISDIR (21)", false)]
    [InlineData(22u, "INVAL (22)", false)]
    [InlineData(63u, "NAMETOOLONG (63)", false)]
    [InlineData(70u, "STALE (70)", false)]
    [InlineData(10001u, "BADHANDLE (10001)", false)]
    [InlineData(10006u, "SERVERFAULT (10006)", false)]
    [InlineData(10008u, "DELAY (10008)", false)]
    [InlineData(10013u, "GRACE (10013)", false)]
    [InlineData(10016u, "WRONGSEC (10016)", false)]
    [InlineData(10021u, "MINOR_VERS_MISMATCH (10021)", false)]
    [InlineData(10025u, "BAD_STATEID (10025)", false)]
    [InlineData(10029u, "SYMLINK (10029)", false)]
    [InlineData(3u, "status 3", false)]
    public void Statuses_have_their_names_and_some_mean_missing(uint status, string name, bool missing)
    {
        Assert.Equal(name, NfsStatusException.Describe(status));
        Assert.Equal(missing, new NfsStatusException("X", status).MeansMissing);
    }

    [Fact]
    public void A_compound_is_an_empty_tag_minor_version_0_and_its_operations()
    {
        var compound = new Nfs4Compound().PutRootFh().GetFh().GetAttr(maxRead: true);
        Assert.Equal(3, compound.Count);
        Assert.Equal("00000000" + "00000000" + "00000003" + "00000018" + "0000000A" + "00000009" + "00000002" + "40000012" + "00100000",
            Hex(compound.Arguments()));
        Assert.Equal("00000000" + "00000000" + "00000004" + "00000016" + "00000001AA000000" + "0000000F" + "0000000161000000" + "0000000A" + "00000009" + "00000002" + "00000012" + "00100000",
            Hex(new Nfs4Compound().PutFh([0xAA]).Lookup("a").GetFh().GetAttr().Arguments()));
        Assert.Equal((100003u, 4u, 1u), (Nfs4Compound.Program.Number, Nfs4Compound.Program.Version, Nfs4Compound.Procedure));
    }

    [Fact]
    public void Read4_goes_with_the_anonymous_stateid_and_readlink_takes_nothing()
    {
        Assert.Equal("00000000" + "00000000" + "00000002" + "00000019" + "00000000" + "000000000000000000000000" + "0000000100000002" + "00100000" + "0000001B",
            Hex(new Nfs4Compound().Read(0x100000002, 1 << 20).ReadLink().Arguments()));
    }

    [Fact]
    public void Nfs4_handles_up_to_128_bytes_are_sent()
    {
        Assert.Equal(12 + 4 + 4 + 128, new Nfs4Compound().PutFh(new byte[128]).Arguments().Length);
        Assert.Throws<ArgumentException>(() => new Nfs4Compound().PutFh(new byte[129]));
    }

    /// <summary>A COMPOUND reply: status, tag, the number of results, then what <paramref name="results"/> writes.</summary>
    private static XdrReader Reply4(int count, Action<XdrWriter> results, uint status = 0, int tag = 0)
    {
        var writer = new XdrWriter().UInt32(status).Opaque(new byte[tag]).UInt32((uint)count);
        results(writer);
        return Read(writer);
    }

    private static XdrWriter Attributes4(XdrWriter w, uint word0, uint word1, Action<XdrWriter> values)
    {
        var encoded = new XdrWriter();
        values(encoded);
        return w.UInt32(2).UInt32(word0).UInt32(word1).Opaque(encoded.Written);
    }

    private static void FileValues(XdrWriter v) => v.UInt32(1).UInt64(1234).UInt64(unchecked((ulong)-5)).UInt32(6);

    [Fact]
    public void Compound_results_come_in_order_with_their_values()
    {
        var handle = new byte[128];
        handle[0] = 7;
        var reply = Nfs4Reply.Begin(Reply4(3, w =>
        {
            w.UInt32(24).UInt32(0);
            w.UInt32(10).UInt32(0).Opaque(handle);
            Attributes4(w.UInt32(9).UInt32(0), 0x40000012, 0x00100000, v => v.UInt32(2).UInt64(10).UInt64(1 << 20).UInt64(1).UInt32(2));
        }, tag: 1024), 3);
        reply.PutRootFh();
        Assert.Equal(handle, reply.GetFh());
        Assert.Equal(new NfsAttributes(NfsFileType.Directory, 10, new NfsTime(1, 2), 1 << 20), reply.GetAttr());
    }

    [Fact]
    public void Getattr4_takes_negative_times_and_the_attribute_types_1_to_9()
    {
        var attributes = Nfs4Attributes.Read(Read(Attributes4(new XdrWriter(), 0x12, 0x00100000, FileValues)));
        Assert.Equal(new NfsAttributes(NfsFileType.Regular, 1234, new NfsTime(-5, 6)), attributes);
        Assert.Equal(NfsFileType.NamedAttribute, Nfs4Attributes.Read(Read(Attributes4(new XdrWriter(), 0x12, 0, v => v.UInt32(9).UInt64(0)))).Type);
        Assert.Equal("NFS: file type 10 is none of 1 to 9",
            Assert.Throws<InvalidDataException>(() => Nfs4Attributes.Read(Read(Attributes4(new XdrWriter(), 0x12, 0, v => v.UInt32(10).UInt64(0))))).Message);
    }

    [Fact]
    public void Getattr4_without_a_change_time_has_none_but_needs_type_and_size()
    {
        Assert.Null(Nfs4Attributes.Read(Read(Attributes4(new XdrWriter(), 0x12, 0, v => v.UInt32(1).UInt64(3)))).ChangeTime);
        Assert.Equal("NFS: GETATTR returned no type or no size",
            Assert.Throws<InvalidDataException>(() => Nfs4Attributes.Read(Read(Attributes4(new XdrWriter(), 0x10, 0, v => v.UInt64(3))))).Message);
        Assert.Throws<InvalidDataException>(() => Nfs4Attributes.Read(Read(Attributes4(new XdrWriter(), 0x02, 0, v => v.UInt32(1)))));
    }

    [Fact]
    public void Getattr4_refuses_attributes_not_asked_for_and_values_that_do_not_fit()
    {
        Assert.Equal("NFS: GETATTR returned attribute 3, which was not asked for",
            Assert.Throws<InvalidDataException>(() => Nfs4Attributes.Read(Read(Attributes4(new XdrWriter(), 0x1A, 0, v => v.UInt32(1).UInt64(0).UInt64(0))))).Message);
        Assert.Equal("NFS: GETATTR's values run 4 bytes past the attributes the bitmap names",
            Assert.Throws<InvalidDataException>(() => Nfs4Attributes.Read(Read(Attributes4(new XdrWriter(), 0x12, 0, v => v.UInt32(1).UInt64(0).UInt32(0))))).Message);
        Assert.Throws<InvalidDataException>(() => Nfs4Attributes.Read(Read(Attributes4(new XdrWriter(), 0x12, 0, v => v.UInt32(1)))));
    }

    [Fact]
    public void Getattr4_bitmaps_of_8_words_and_values_of_1024_bytes_are_taken_and_more_refused()
    {
        XdrWriter Bitmap(int words, int valueBytes)
        {
            var w = new XdrWriter().UInt32((uint)words).UInt32(0x12);
            for (var i = 1; i < words; i++)
                w.UInt32(0);
            var values = new XdrWriter().UInt32(1).UInt64(5);
            return w.Opaque([.. values.Written, .. new byte[valueBytes - values.Length]]);
        }
        Assert.Equal(5ul, Nfs4Attributes.Read(Read(Bitmap(8, 12))).Size);
        Assert.Throws<InvalidDataException>(() => Nfs4Attributes.Read(Read(Bitmap(9, 12))));
        Assert.Equal("NFS: GETATTR's values run 1012 bytes past the attributes the bitmap names",
            Assert.Throws<InvalidDataException>(() => Nfs4Attributes.Read(Read(Bitmap(1, 1024)))).Message);
        Assert.Equal("XDR: the attribute values is 1025 bytes long, more than the 1024 allowed",
            Assert.Throws<InvalidDataException>(() => Nfs4Attributes.Read(Read(Bitmap(1, 1025)))).Message);
    }

    [Fact]
    public void A_failed_operation_is_a_status_naming_it()
    {
        var reply = Nfs4Reply.Begin(Reply4(2, w => w.UInt32(22).UInt32(0).UInt32(15).UInt32(2), status: 2), 4);
        reply.PutFh();
        var e = Assert.Throws<NfsStatusException>(reply.Lookup);
        Assert.Equal("LOOKUP failed: NOENT (2)", e.Message);
    }

    [Fact]
    public void A_reply_that_stops_early_is_its_status_or_malformed()
    {
        var failed = Nfs4Reply.Begin(Reply4(0, _ => { }, status: 10021), 1);
        Assert.Equal("COMPOUND failed: MINOR_VERS_MISMATCH (10021)", Assert.Throws<NfsStatusException>(failed.PutRootFh).Message);
        var cut = Nfs4Reply.Begin(Reply4(1, w => w.UInt32(24).UInt32(0)), 2);
        cut.PutRootFh();
        Assert.Equal("NFS: COMPOUND reply ends after 1 results, before GETFH", Assert.Throws<InvalidDataException>(() => cut.GetFh()).Message);
    }

    [Fact]
    public void A_result_for_another_operation_or_more_results_than_sent_are_refused()
    {
        var wrong = Nfs4Reply.Begin(Reply4(1, w => w.UInt32(22).UInt32(0)), 1);
        Assert.Equal("NFS: COMPOUND result 1 is operation 22, not PUTROOTFH (24)", Assert.Throws<InvalidDataException>(wrong.PutRootFh).Message);
        Assert.Throws<InvalidDataException>(() => Nfs4Reply.Begin(Reply4(3, _ => { }), 2));
        Assert.Throws<InvalidDataException>(() => Nfs4Reply.Begin(Reply4(0, _ => { }, tag: 1025), 2));
    }

    [Fact]
    public void Read4_and_readlink4_results_are_bounded()
    {
        var read = Nfs4Reply.Begin(Reply4(2, w => w.UInt32(22).UInt32(0).UInt32(25).UInt32(0).Bool(true).Opaque([1, 2])), 2);
        read.PutFh();
        var data = read.Read(2);
        Assert.Equal([1, 2], data.Data.ToArray());
        Assert.True(data.Eof);
        var tooMuch = Nfs4Reply.Begin(Reply4(2, w => w.UInt32(22).UInt32(0).UInt32(25).UInt32(0).Bool(false).Opaque([1, 2, 3])), 2);
        tooMuch.PutFh();
        Assert.Throws<InvalidDataException>(() => tooMuch.Read(2));
        var link = Nfs4Reply.Begin(Reply4(1, w => w.UInt32(27).UInt32(0).String(new string('a', 4096))), 1);
        Assert.Equal(4096, link.ReadLink().Length);
        var longLink = Nfs4Reply.Begin(Reply4(1, w => w.UInt32(27).UInt32(0).String(new string('a', 4097))), 1);
        Assert.Throws<InvalidDataException>(() => longLink.ReadLink());
        var handle = Nfs4Reply.Begin(Reply4(1, w => w.UInt32(10).UInt32(0).Opaque(new byte[129])), 1);
        Assert.Throws<InvalidDataException>(() => handle.GetFh());
    }
}
