using Eliloader.Formats;
using Eliloader.Formats.TreeInfo;

namespace Eliloader.Verification;

/// <summary>
/// A file in which a mirror publishes its files' digests. Its paths are relative to
/// the list's own directory; <see cref="Read"/> gives them relative to the tree.
/// Lists come from the guest's side, so they are read within a size bound and lines
/// that are not digests are skipped.
/// </summary>
public abstract record ChecksumList(string Path)
{
    public const int MaxBytes = 1 << 20;

    /// <summary>What vouches for the list itself; by default nothing does.</summary>
    public ListAuthority Authority { get; init; } = new NoAuthority("nothing in the tree signs it");

    public abstract IEnumerable<(string TreePath, Digest Digest)> Read(Stream content);

    protected string Directory => Path.Contains('/') ? Path[..(Path.LastIndexOf('/') + 1)] : "";

    /// <summary>A listed name as a tree path: "./" and "*" (binary mode) dropped, the list's directory in front.</summary>
    protected string TreePath(string listed)
    {
        var name = listed.TrimStart('*');
        while (name.StartsWith("./", StringComparison.Ordinal))
            name = name[2..];
        return Directory + name;
    }
}

/// <summary>Debian's SHA256SUMS and MD5SUMS, a CD's sha256sum.txt and md5sum.txt: "hex  name" lines.</summary>
public sealed record SumsFile(string Path, string Algorithm) : ChecksumList(Path)
{
    public override IEnumerable<(string TreePath, Digest Digest)> Read(Stream content)
    {
        using var reader = new StreamReader(new BoundedReadStream(content, MaxBytes));
        var listed = new List<(string, Digest)>();
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && Digest.TryCreate(Algorithm, parts[0]) is { } digest)
                listed.Add((TreePath(parts[1].Trim()), digest));
        }
        return listed;
    }
}

/// <summary>A Red Hat tree's .treeinfo [checksums]: "path = algorithm:hex", paths relative to the tree.</summary>
public sealed record TreeInfoChecksums(string Path) : ChecksumList(Path)
{
    private const string Section = "checksums";

    public override IEnumerable<(string TreePath, Digest Digest)> Read(Stream content)
    {
        var listed = new List<(string, Digest)>();
        foreach (var (name, value) in TreeInfoFile.Read(content).Section(Section))
        {
            var colon = value.IndexOf(':');
            if (colon > 0 && Digest.TryCreate(value[..colon], value[(colon + 1)..]) is { } digest)
                listed.Add((TreePath(name), digest));
        }
        return listed;
    }
}

/// <summary>A SUSE medium's content file: "HASH SHA256 hex  path" lines (SHA1 on older media), paths relative to the medium, as linuxrc checks them.</summary>
public sealed record SuseContentFile(string Path) : ChecksumList(Path)
{
    public override IEnumerable<(string TreePath, Digest Digest)> Read(Stream content)
    {
        using var reader = new StreamReader(new BoundedReadStream(content, MaxBytes));
        var listed = new List<(string, Digest)>();
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["HASH", var algorithm, var hex, var name] && Digest.TryCreate(algorithm, hex) is { } digest)
                listed.Add((TreePath(name.Trim()), digest));
        }
        return listed;
    }
}
