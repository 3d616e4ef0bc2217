using Eliloader.Formats.Nfs;
using Eliloader.Formats.OncRpc;

namespace Eliloader.Formats.Tests;

/// <summary>
/// Every item of every reply this client parses, cut off in the middle: the message
/// names the item where the reply ended, so an administrator reading the log knows
/// what the server sent short.
/// </summary>
public sealed class TruncatedReplyTests
{
    private static readonly RpcProgram Program = new(100003, 3, "NFS");

    /// <summary>Each cut of the reply, parsed, names the item it ends in.</summary>
    private static void AssertNames(XdrWriter whole, Action<byte[]> parse, params (int Keep, string Item)[] cuts)
    {
        foreach (var (keep, item) in cuts)
        {
            var bytes = whole.ToArray()[..keep];
            Assert.StartsWith($"XDR: the message ends inside {item} (", Assert.Throws<InvalidDataException>(() => parse(bytes)).Message);
        }
    }

    private static void AssertNames(XdrWriter whole, Action<XdrReader> parse, params (int Keep, string Item)[] cuts) =>
        AssertNames(whole, bytes => parse(new XdrReader(bytes)), cuts);

    [Fact]
    public void Rpc_reply_items()
    {
        var accepted = new XdrWriter().UInt32(1).UInt32(1).UInt32(0).UInt32(0).Opaque([]).UInt32(2).UInt32(3).UInt32(4);
        AssertNames(accepted, (byte[] b) => RpcReply.Parse(b, Program),
            (2, "the transaction id"), (6, "the message type"), (10, "the reply status"), (14, "the verifier's flavor"),
            (18, "the verifier"), (22, "the accept status"), (26, "the lowest version"), (30, "the highest version"));
        var mismatch = new XdrWriter().UInt32(1).UInt32(1).UInt32(1).UInt32(0).UInt32(3).UInt32(4);
        AssertNames(mismatch, (byte[] b) => RpcReply.Parse(b, Program),
            (14, "the reject status"), (18, "the lowest RPC version"), (22, "the highest RPC version"));
        var auth = new XdrWriter().UInt32(1).UInt32(1).UInt32(1).UInt32(1).UInt32(5);
        AssertNames(auth, (byte[] b) => RpcReply.Parse(b, Program), (18, "the auth status"));
    }

    [Fact]
    public void Portmapper_and_mount_items()
    {
        AssertNames(new XdrWriter().UInt32(5), r => Portmapper.ReadPort(r), (2, "the port"));
        var mnt = new XdrWriter().UInt32(0).Opaque([1]).UInt32(1).UInt32(1);
        AssertNames(mnt, r => Mount3.ReadMnt(r), (2, "the mount status"), (6, "the file handle"), (10, "the file handle"), (14, "the auth flavors"), (18, "an auth flavor"));
        Assert.Equal(("portmapper", "MOUNT", "NFS", "NFS"), (Portmapper.Program.Name, Mount3.Program.Name, Nfs3.Program.Name, Nfs4Compound.Program.Name));
    }

    private static XdrWriter Attributes3(XdrWriter w) =>
        w.UInt32(1).UInt32(0x1A4).UInt32(1).UInt32(2).UInt32(3).UInt64(10).UInt64(99).UInt32(4).UInt32(5)
            .UInt64(6).UInt64(8).UInt32(9).UInt32(10).UInt32(11).UInt32(12).UInt32(13).UInt32(14);

    [Fact]
    public void Nfs3_items()
    {
        var getattr = Attributes3(new XdrWriter().UInt32(0));
        AssertNames(getattr, r => Nfs3.ReadGetAttr(r), (2, "the status"), (6, "the file type"), (10, "mode, nlink, uid and gid"),
            (30, "the size"), (34, "used, rdev, fsid, fileid, atime and mtime"), (80, "the change time"), (86, "the change time"));
        var lookup = new XdrWriter().UInt32(0).Opaque([1]).Bool(false).Bool(false);
        AssertNames(lookup, r => Nfs3.ReadLookup(r), (6, "the file handle"), (10, "the file handle"), (14, "attributes_follow"), (18, "attributes_follow"));
        var readlink = new XdrWriter().UInt32(0).Bool(false).String("a");
        AssertNames(readlink, r => Nfs3.ReadReadLink(r), (10, "the symlink's target"));
        var read = new XdrWriter().UInt32(0).Bool(false).UInt32(1).Bool(true).Opaque([1]);
        AssertNames(read, r => Nfs3.ReadRead(r, 1), (10, "the count"), (14, "eof"), (18, "the data"));
        var fsinfo = new XdrWriter().UInt32(0).Bool(false).UInt32(1);
        AssertNames(fsinfo, r => Nfs3.ReadFsInfo(r), (10, "rtmax"));
    }

    [Fact]
    public void A_lookup3_reply_is_read_to_its_end()
    {
        var reader = new XdrReader(Attributes3(new XdrWriter().UInt32(0).Opaque([1]).Bool(false).Bool(true)).ToArray());
        Nfs3.ReadLookup(reader);
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void Nfs4_items()
    {
        var getfh = new XdrWriter().UInt32(0).Opaque([]).UInt32(1).UInt32(10).UInt32(0).Opaque([1]);
        AssertNames(getfh, r => Nfs4Reply.Begin(r, 1).GetFh(), (2, "the COMPOUND status"), (6, "the tag"), (10, "the results"),
            (14, "the operation number"), (18, "the status of GETFH"), (22, "the file handle"));
        var read = new XdrWriter().UInt32(0).Opaque([]).UInt32(1).UInt32(25).UInt32(0).Bool(false).Opaque([1]);
        AssertNames(read, r => Nfs4Reply.Begin(r, 1).Read(1), (22, "eof"), (26, "the data"));
        var link = new XdrWriter().UInt32(0).Opaque([]).UInt32(1).UInt32(27).UInt32(0).String("a");
        AssertNames(link, r => Nfs4Reply.Begin(r, 1).ReadLink(), (22, "the symlink's target"));
        var values = new XdrWriter().UInt32(2).UInt64(5).UInt64(7).UInt64(1).UInt32(2).ToArray();
        var attributes = new XdrWriter().UInt32(2).UInt32(0x40000012).UInt32(0x00100000).Opaque(values);
        AssertNames(attributes, r => Nfs4Attributes.Read(r), (2, "the attribute bitmap"), (6, "an attribute bitmap word"), (14, "the attribute values"));
        AssertNames(new XdrWriter().FixedOpaque(values), (byte[] b) => Nfs4Attributes.Read(new XdrReader(
            new XdrWriter().UInt32(2).UInt32(0x40000012).UInt32(0x00100000).Opaque(b).ToArray())),
            (2, "the file type"), (6, "the size"), (14, "maxread"), (22, "the change time"));
    }

    [Fact]
    public void A_read_past_what_was_asked_names_the_bound_it_broke()
    {
        var v3 = new XdrReader(new XdrWriter().UInt32(0).Bool(false).UInt32(4).Bool(false).Opaque([1, 2, 3, 4]).ToArray());
        Assert.Equal("XDR: the data is 4 bytes long, more than the 3 allowed", Assert.Throws<InvalidDataException>(() => Nfs3.ReadRead(v3, 3)).Message);
        var v4 = new XdrReader(new XdrWriter().UInt32(0).Opaque([]).UInt32(1).UInt32(25).UInt32(0).Bool(false).Opaque([1, 2, 3, 4]).ToArray());
        Assert.Equal("XDR: the data is 4 bytes long, more than the 3 allowed", Assert.Throws<InvalidDataException>(() => Nfs4Reply.Begin(v4, 1).Read(3)).Message);
    }
}
