using Eliloader.Formats.OncRpc;

namespace Eliloader.Formats.Nfs;

/// <summary>
/// The results of an NFSv4.0 COMPOUND, read in the order the operations were sent.
/// The server stops at the first operation that fails, so each result is checked to be
/// the operation expected next, and its status; a failed one is
/// <see cref="NfsStatusException"/> naming it.
/// </summary>
public sealed class Nfs4Reply
{
    public const int MaxTag = 1024;
    public const int MaxLinkText = Nfs3.MaxPath;

    private readonly XdrReader reader;
    private readonly uint status;
    private readonly int count;
    private int index;

    private Nfs4Reply(XdrReader reader, uint status, int count) => (this.reader, this.status, this.count) = (reader, status, count);

    /// <param name="sent">How many operations the COMPOUND carried: no more results than that are taken.</param>
    public static Nfs4Reply Begin(XdrReader reader, int sent)
    {
        var status = reader.UInt32("the COMPOUND status");
        reader.Opaque(MaxTag, "the tag");
        return new Nfs4Reply(reader, status, reader.Count(sent, "the results"));
    }

    public void PutRootFh() => Next(Nfs4Operation.PutRootFh);

    public void PutFh() => Next(Nfs4Operation.PutFh);

    public void Lookup() => Next(Nfs4Operation.Lookup);

    public byte[] GetFh()
    {
        Next(Nfs4Operation.GetFh);
        return reader.Opaque(Nfs4Compound.MaxHandle, "the file handle").ToArray();
    }

    public NfsAttributes GetAttr()
    {
        Next(Nfs4Operation.GetAttr);
        return Nfs4Attributes.Read(reader);
    }

    public NfsRead Read(uint asked)
    {
        Next(Nfs4Operation.Read);
        var eof = reader.Bool("eof");
        return NfsRead.Checked(reader.Opaque((int)Math.Min(asked, int.MaxValue), "the data"), eof, asked);
    }

    public string ReadLink()
    {
        Next(Nfs4Operation.ReadLink);
        return reader.String(MaxLinkText, "the symlink's target");
    }

    private void Next(Nfs4Operation expected)
    {
        var name = expected.ToString().ToUpperInvariant();
        if (index == count)
            throw status != 0
                ? new NfsStatusException("COMPOUND", status)
                : new InvalidDataException($"NFS: COMPOUND reply ends after {count} results, before {name}");
        index++;
        var operation = reader.UInt32("the operation number");
        if (operation != (uint)expected)
            throw new InvalidDataException($"NFS: COMPOUND result {index} is operation {operation}, not {name} ({(uint)expected})");
        var result = reader.UInt32($"the status of {name}");
        if (result != 0)
            throw new NfsStatusException(name, result);
    }
}
