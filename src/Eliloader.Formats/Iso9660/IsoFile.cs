namespace Eliloader.Formats.Iso9660;

/// <summary>A contiguous run of a file's bytes in the image.</summary>
public readonly record struct IsoExtent(long Offset, long Length);

/// <summary>A regular file found in an ISO 9660 image: its path, size and where its bytes lie.</summary>
public sealed record IsoFile(string Path, long Length, IReadOnlyList<IsoExtent> Extents);

/// <summary>One entry of a directory, with the name the image's naming scheme gives it.</summary>
public sealed record IsoEntry(string Name, bool IsDirectory, IReadOnlyList<IsoExtent> Extents, string? SymlinkTarget)
{
    public long Length => Extents.Sum(e => e.Length);
}
