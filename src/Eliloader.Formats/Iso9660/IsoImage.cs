using System.Buffers.Binary;
using System.Text;
using Descriptor = Eliloader.Formats.Iso9660.IsoLayout.VolumeDescriptor;
using Record = Eliloader.Formats.Iso9660.IsoLayout.DirectoryRecord;
using SystemUse = Eliloader.Formats.Iso9660.IsoLayout.SystemUse;

namespace Eliloader.Formats.Iso9660;

/// <summary>
/// Reads files from an ISO 9660 image (a CD drive or an .iso file) in process: no
/// mount, no root. Names come from Rock Ridge when the image has it, else from
/// Joliet, else from the plain ISO names ("NAME.EXT;1", matched without version
/// and case). The image is a guest's medium, so every structure is checked against
/// the image's size and bounded in count before it is used.
/// </summary>
public sealed class IsoImage
{
    private const int MaxDescriptors = 64;
    /// <summary>Far above any directory on an install path (the roots and boot directories of real media hold dozens).</summary>
    private const int MaxEntries = 10_000;
    /// <summary>MaxEntries records of at most 255 bytes, with the padding at the end of each sector, fit in 2.6 MB.</summary>
    private const int MaxDirectoryBytes = 4 << 20;
    /// <summary>Extents of one file: xorriso splits a file every 4 GiB, so these hold 256 GiB.</summary>
    private const int MaxExtents = 64;
    private const int MaxPathComponents = 64;

    private readonly Stream image;
    private readonly long imageLength;
    private readonly int blockSize;
    private readonly byte[] rootRecord;
    private readonly bool joliet;
    private readonly int? rockRidgeSkip;
    /// <summary>Directories already read, by extent: each is read once per image, however often a path passes it.</summary>
    private readonly Dictionary<IsoExtent, IsoDirectory> directories = [];

    public string NamingScheme => rockRidgeSkip is not null ? "Rock Ridge" : joliet ? "Joliet" : "ISO 9660";

    private IsoImage(Stream image, long imageLength, int blockSize, byte[] rootRecord, bool joliet, int? rockRidgeSkip)
    {
        this.image = image;
        this.imageLength = imageLength;
        this.blockSize = blockSize;
        this.rootRecord = rootRecord;
        this.joliet = joliet;
        this.rockRidgeSkip = rockRidgeSkip;
    }

    /// <summary>Reads the volume descriptors of a seekable image; InvalidDataException when it is no ISO 9660 image.</summary>
    public static IsoImage Open(Stream image)
    {
        var length = image.Length;
        if (length < (IsoLayout.SystemAreaSectors + 1) * (long)IsoLayout.SectorSize)
            throw new InvalidDataException($"not an ISO 9660 image: only {length} bytes");
        byte[]? primary = null, jolietDescriptor = null;
        for (var index = 0; index < MaxDescriptors; index++)
        {
            var sector = IsoLayout.SystemAreaSectors + index;
            var descriptor = ReadAt(image, length, sector * (long)IsoLayout.SectorSize, IsoLayout.SectorSize, "volume descriptor");
            if (Encoding.ASCII.GetString(descriptor, Descriptor.StandardIdentifier, Descriptor.StandardIdentifierLength) != Descriptor.StandardIdentifierText)
                throw new InvalidDataException($"not an ISO 9660 image: no volume descriptor at sector {sector}");
            var type = descriptor[Descriptor.Type];
            if (type == Descriptor.TerminatorType)
                break;
            if (type == Descriptor.PrimaryType)
                primary ??= descriptor;
            if (type == Descriptor.SupplementaryType && IsJoliet(descriptor))
                jolietDescriptor ??= descriptor;
        }
        if (primary is null)
            throw new InvalidDataException("not an ISO 9660 image: no primary volume descriptor");
        int blockSize = BinaryPrimitives.ReadUInt16LittleEndian(primary.AsSpan(Descriptor.LogicalBlockSize));
        if (blockSize is not (512 or 1024 or 2048))
            throw new InvalidDataException($"ISO 9660 logical block size {blockSize} is not 512, 1024 or 2048");
        var primaryRoot = RootRecord(primary);
        var probe = new IsoImage(image, length, blockSize, primaryRoot, joliet: false, rockRidgeSkip: null);
        if (probe.DetectRockRidge() is { } skip)
            return new IsoImage(image, length, blockSize, primaryRoot, joliet: false, skip);
        return jolietDescriptor is not null
            ? new IsoImage(image, length, blockSize, RootRecord(jolietDescriptor), joliet: true, rockRidgeSkip: null)
            : probe;
    }

    /// <summary>A supplementary descriptor whose escape sequences name UCS-2 level 1, 2 or 3 ("%/@", "%/C", "%/E"): Joliet.</summary>
    private static bool IsJoliet(byte[] descriptor) =>
        descriptor[Descriptor.EscapeSequences] == '%' && descriptor[Descriptor.EscapeSequences + 1] == '/'
        && descriptor[Descriptor.EscapeSequences + 2] is (byte)'@' or (byte)'C' or (byte)'E';

    private static byte[] RootRecord(byte[] descriptor) => descriptor.AsSpan(Descriptor.RootDirectoryRecord, Record.MinimumLength).ToArray();

    /// <summary>The regular file at a path, following Rock Ridge symlinks that stay inside the image; null when there is none.</summary>
    public IsoFile? Find(string path)
    {
        var components = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (components.Length > MaxPathComponents)
            throw new InvalidDataException($"path '{path}' has more than {MaxPathComponents} components");
        var budget = new LookupBudget(path);
        var pending = new Stack<string>(components.Reverse());
        var trail = new List<IsoEntry>();
        var current = Root();
        while (pending.TryPop(out var part))
        {
            budget.Step();
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (trail.Count == 0)
                    return null;
                trail.RemoveAt(trail.Count - 1);
                current = trail.Count == 0 ? Root() : trail[^1];
                continue;
            }
            if (!current.IsDirectory)
                return null;
            var entry = ReadDirectory(current, trail, budget).Find(part, caseSensitive: rockRidgeSkip is not null);
            if (entry is null)
                return null;
            if (entry.SymlinkTarget is { } target)
            {
                budget.Hop();
                if (target.StartsWith('/'))
                    return null;
                foreach (var step in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                    pending.Push(step);
                continue;
            }
            trail.Add(entry);
            current = entry;
        }
        return current.IsDirectory || trail.Count == 0 ? null : new IsoFile(path, current.Length, current.Extents);
    }

    /// <summary>The file's bytes, read from the image as they are consumed.</summary>
    public Stream OpenRead(IsoFile file) => new IsoExtentStream(image, file.Extents);

    private IsoEntry Root()
    {
        var (extent, length) = Extent(rootRecord, "root directory");
        return new IsoEntry("", true, [new IsoExtent(extent, length)], null);
    }

    /// <summary>A directory's entries, from the cache or read now at the lookup's cost.</summary>
    private IsoDirectory ReadDirectory(IsoEntry directory, List<IsoEntry> trail, LookupBudget budget)
    {
        var extent = directory.Extents[0];
        if (directories.TryGetValue(extent, out var known))
            return known;
        var where = "/" + string.Join('/', trail.Select(e => e.Name));
        if (extent.Length > MaxDirectoryBytes)
            throw new InvalidDataException($"directory '{where}' is {extent.Length} bytes, more than {MaxDirectoryBytes}");
        budget.Read(extent.Length);
        var entries = Entries(ReadAt(image, imageLength, extent.Offset, (int)extent.Length, $"directory '{where}'"), where, budget);
        directories[extent] = entries;
        return entries;
    }

    /// <summary>Parses a directory's records; the extents of a multi-extent file are gathered into one entry.</summary>
    private IsoDirectory Entries(byte[] data, string where, LookupBudget budget)
    {
        var entries = new IsoDirectory();
        var position = 0;
        PendingEntry? unfinished = null;
        while (position < data.Length)
        {
            var recordLength = data[position + Record.Length];
            if (recordLength == 0)
            {
                // Records never cross a block boundary: the rest of this block is padding.
                position = (position / blockSize + 1) * blockSize;
                continue;
            }
            if (recordLength < Record.MinimumLength || position + recordLength > data.Length)
                throw new InvalidDataException($"directory '{where}' has a malformed record at byte {position}");
            var record = data.AsSpan(position, recordLength);
            position += recordLength;
            var nameLength = record[Record.NameLength];
            if (Record.Name + nameLength > recordLength)
                throw new InvalidDataException($"directory '{where}' has a record whose name overruns it");
            if (nameLength == 1 && record[Record.Name] is Record.SelfName or Record.ParentName)
                continue;
            if (entries.Count == MaxEntries)
                throw new InvalidDataException($"directory '{where}' has more than {MaxEntries} entries");
            var flags = record[Record.FileFlags];
            var (start, length) = Extent(record, $"an entry of directory '{where}'");
            var (name, link, relocated) = Name(record, nameLength, where, budget);
            if (relocated)
                continue;
            if (unfinished is not null && unfinished.Name == name)
            {
                if (unfinished.Extents.Count == MaxExtents)
                    throw new InvalidDataException($"file '{name}' in directory '{where}' has more than {MaxExtents} extents");
                unfinished.Extents.Add(new IsoExtent(start, length));
            }
            else
            {
                if (unfinished is not null)
                    entries.Add(unfinished.Entry());
                unfinished = new PendingEntry(name, (flags & Record.DirectoryFlag) != 0, [new IsoExtent(start, length)], link);
            }
            if ((flags & Record.MultiExtentFlag) == 0)
            {
                entries.Add(unfinished.Entry());
                unfinished = null;
            }
        }
        if (unfinished is not null)
            throw new InvalidDataException($"file '{unfinished.Name}' in directory '{where}' ends in a non-final extent");
        return entries;
    }

    /// <summary>An entry whose extents are still being gathered, one record at a time.</summary>
    private sealed record PendingEntry(string Name, bool IsDirectory, List<IsoExtent> Extents, string? SymlinkTarget)
    {
        public IsoEntry Entry() => new(Name, IsDirectory, Extents, SymlinkTarget);
    }

    private (string Name, string? Link, bool Relocated) Name(ReadOnlySpan<byte> record, int nameLength, string directory, LookupBudget budget)
    {
        var raw = record.Slice(Record.Name, nameLength);
        if (rockRidgeSkip is { } skip)
        {
            // The system use area follows the name, padded to an even offset, and SP's skip.
            var systemUse = Record.Name + nameLength + (nameLength % 2 == 0 ? 1 : 0) + skip;
            if (systemUse < record.Length)
            {
                var fields = SystemUseArea.Parse(record[systemUse..], (block, offset, length) => ReadContinuation(block, offset, length, budget), $"directory '{directory}'");
                if (fields.Name is not null)
                    return (Checked(fields.Name, directory), fields.SymlinkTarget, fields.Relocated);
                if (fields.SymlinkTarget is not null || fields.Relocated)
                    return (Checked(PlainName(raw), directory), fields.SymlinkTarget, fields.Relocated);
            }
        }
        return (Checked(joliet ? WithoutVersion(Encoding.BigEndianUnicode.GetString(raw)) : PlainName(raw), directory), null, false);
    }

    private static string PlainName(ReadOnlySpan<byte> raw)
    {
        var name = WithoutVersion(Encoding.ASCII.GetString(raw));
        return name.EndsWith('.') ? name[..^1] : name;
    }

    private static string WithoutVersion(string name) => name.IndexOf(';') is var semicolon and >= 0 ? name[..semicolon] : name;

    private static string Checked(string name, string directory) =>
        name.Length == 0 || name is "." or ".." || name.Contains('/') || name.Contains('\0')
            ? throw new InvalidDataException($"directory '{directory}' holds an entry named '{name}'")
            : name;

    private (long Offset, long Length) Extent(ReadOnlySpan<byte> record, string what)
    {
        long start = BinaryPrimitives.ReadUInt32LittleEndian(record[Record.ExtentLocation..]) * (long)blockSize;
        long length = BinaryPrimitives.ReadUInt32LittleEndian(record[Record.DataLength..]);
        if (start + length > imageLength)
            throw new InvalidDataException($"{what} extends past the end of the image ({start + length} > {imageLength} bytes)");
        return (start, length);
    }

    private byte[] ReadContinuation(long block, long offset, long length, LookupBudget budget)
    {
        if (length > blockSize || offset + length > blockSize)
            throw new InvalidDataException("a Rock Ridge continuation area does not fit its block");
        budget.Read(length);
        return ReadAt(image, imageLength, block * blockSize + offset, (int)length, "a Rock Ridge continuation area");
    }

    /// <summary>The skip length of the SUSP "SP" field in the root's "." record, when the image has Rock Ridge.</summary>
    private int? DetectRockRidge()
    {
        var (start, length) = Extent(rootRecord, "root directory");
        if (length < Record.MinimumLength)
            return null;
        var first = ReadAt(image, imageLength, start, (int)Math.Min(length, 255), "root directory");
        var recordLength = first[Record.Length];
        if (recordLength < Record.MinimumLength + SystemUse.SpFieldLength || recordLength > first.Length)
            return null;
        // The "." record's one-byte name leaves its system use area at an even offset, unpadded.
        var systemUse = first.AsSpan(Record.MinimumLength, recordLength - Record.MinimumLength);
        return systemUse.Length >= SystemUse.SpFieldLength && systemUse[SystemUse.Signature] == 'S' && systemUse[SystemUse.Signature + 1] == 'P'
            && systemUse[SystemUse.SpCheckFirst] == SystemUse.SpCheckFirstValue && systemUse[SystemUse.SpCheckSecond] == SystemUse.SpCheckSecondValue
            ? systemUse[SystemUse.SpSkipLength]
            : null;
    }

    private static byte[] ReadAt(Stream image, long imageLength, long offset, int count, string what)
    {
        if (offset < 0 || offset + count > imageLength)
            throw new InvalidDataException($"{what} lies past the end of the image");
        var buffer = new byte[count];
        image.Position = offset;
        image.ReadExactly(buffer);
        return buffer;
    }
}
