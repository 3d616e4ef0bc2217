using System.Buffers.Binary;
using System.Text;

namespace Eliloader.Formats.Tests;

/// <summary>
/// Writes ISO 9660 images byte by byte, for the hostile shapes xorriso will not make:
/// directories padded to any size, one name in many multi-extent records, Rock Ridge
/// symlinks thousands of characters long (through continuation areas). Also used by
/// the integration tests, which run the published binary on such images.
/// </summary>
public sealed class CraftedIso(bool rockRidge = true)
{
    private const int Sector = 2048;
    private const int MaxRecord = 255;
    private const int ContinuationField = 28;

    private enum Kind { Directory, File, Symlink }

    private sealed class Node(string name, Kind kind)
    {
        public string Name { get; } = name;
        public Kind Kind { get; } = kind;
        public List<Node> Children { get; } = [];
        public byte[] Data { get; init; } = [];
        public int ExtentCount { get; init; } = 1;
        public string? Target { get; init; }
        public byte[]? SystemUse { get; init; }
        public long PaddedTo { get; set; }

        // Laid out by Build.
        public int Lba { get; set; }
        public long Size { get; set; }
        public List<(int Lba, byte[] Part)> Extents { get; } = [];
        public List<List<byte[]>> ContinuationAreas { get; } = [];
        public List<int> ContinuationLbas { get; } = [];
    }

    private readonly Node root = new("", Kind.Directory);
    private readonly List<byte[]> extraDescriptors = [];

    /// <summary>A directory (the root for ""), its extent padded with zeros to <paramref name="paddedTo"/> bytes.</summary>
    public CraftedIso Directory(string path, long paddedTo = 0)
    {
        var directory = path.Length == 0 ? root : Add(path, name => new Node(name, Kind.Directory));
        directory.PaddedTo = paddedTo;
        return this;
    }

    /// <summary>A file whose bytes are split into <paramref name="extents"/> records of one name, all but the last multi-extent.</summary>
    public CraftedIso File(string path, byte[] data, int extents = 1)
    {
        Add(path, name => new Node(name, Kind.File) { Data = data, ExtentCount = extents });
        return this;
    }

    public CraftedIso File(string path, string text) => File(path, Encoding.ASCII.GetBytes(text));

    /// <summary>A file whose system use area is given byte for byte, for malformed Rock Ridge fields.</summary>
    public CraftedIso RawEntry(string path, byte[] systemUse)
    {
        Add(path, name => new Node(name, Kind.File) { SystemUse = systemUse });
        return this;
    }

    /// <summary>A sector placed among the volume descriptors, after the primary and before the terminator.</summary>
    public CraftedIso VolumeDescriptor(byte[] sector)
    {
        extraDescriptors.Add(sector);
        return this;
    }

    public CraftedIso Symlink(string path, string target)
    {
        Add(path, name => new Node(name, Kind.Symlink) { Target = target });
        return this;
    }

    private Node Add(string path, Func<string, Node> make)
    {
        var parts = path.Split('/');
        var directory = root;
        foreach (var part in parts[..^1])
        {
            var next = directory.Children.FirstOrDefault(c => c.Name == part && c.Kind == Kind.Directory);
            if (next is null)
                directory.Children.Add(next = new Node(part, Kind.Directory));
            directory = next;
        }
        var node = make(parts[^1]);
        directory.Children.Add(node);
        return node;
    }

    public byte[] Build()
    {
        var directories = new List<Node>();
        var pending = new Queue<Node>([root]);
        while (pending.TryDequeue(out var directory))
        {
            directories.Add(directory);
            foreach (var child in directory.Children.Where(c => c.Kind == Kind.Directory))
                pending.Enqueue(child);
        }
        var next = 18 + extraDescriptors.Count;
        foreach (var directory in directories)
        {
            directory.Size = Math.Max(RecordsLength(directory), directory.PaddedTo);
            directory.Lba = next;
            next += Sectors(directory.Size);
        }
        foreach (var node in directories.SelectMany(d => d.Children))
        {
            foreach (var _ in node.ContinuationAreas)
                node.ContinuationLbas.Add(next++);
            if (node.Kind != Kind.File)
                continue;
            var part = (node.Data.Length + node.ExtentCount - 1) / Math.Max(node.ExtentCount, 1);
            for (var i = 0; i < node.ExtentCount; i++)
            {
                var bytes = node.Data.Skip(i * part).Take(part).ToArray();
                node.Extents.Add((bytes.Length == 0 ? 0 : next, bytes));
                next += Sectors(bytes.Length);
            }
        }

        var image = new byte[(long)next * Sector];
        WriteDescriptors(image, next);
        foreach (var directory in directories)
            WriteDirectory(image, directory, directories.FirstOrDefault(d => d.Children.Contains(directory)) ?? root);
        foreach (var node in directories.SelectMany(d => d.Children))
        {
            foreach (var (lba, part) in node.Extents)
                part.CopyTo(image, (long)lba * Sector);
            for (var i = 0; i < node.ContinuationAreas.Count; i++)
            {
                var fields = node.ContinuationAreas[i].ToList();
                if (i + 1 < node.ContinuationAreas.Count)
                    fields.Add(Continuation(node.ContinuationLbas[i + 1], AreaLength(node, i + 1)));
                fields.SelectMany(f => f).ToArray().CopyTo(image, (long)node.ContinuationLbas[i] * Sector);
            }
        }
        return image;
    }

    private static int Sectors(long bytes) => (int)((bytes + Sector - 1) / Sector);

    /// <summary>The directory's records packed into sectors (a record never crosses one); continuation areas are planned here.</summary>
    private long RecordsLength(Node directory)
    {
        long length = 0;
        foreach (var record in RecordLengths(directory))
        {
            if (length % Sector + record > Sector)
                length = (length / Sector + 1) * Sector;
            length += record;
        }
        return length;
    }

    private IEnumerable<int> RecordLengths(Node directory)
    {
        yield return Even(34 + (directory == root && rockRidge ? 7 : 0));
        yield return 34;
        foreach (var child in directory.Children)
        {
            var fields = RockRidgeFields(child);
            var inline = Even(33 + PlainName(child).Length + Pad(child) + fields.Sum(f => f.Length));
            if (inline > MaxRecord)
            {
                PlanContinuation(child, fields);
                inline = Even(33 + PlainName(child).Length + Pad(child) + ContinuationField);
            }
            for (var i = 0; i < Math.Max(child.ExtentCount, 1); i++)
                yield return inline;
        }
    }

    /// <summary>Fields go into one sector each, leaving room for the CE field that leads on to the next.</summary>
    private static void PlanContinuation(Node node, List<byte[]> fields)
    {
        node.ContinuationAreas.Clear();
        var area = new List<byte[]>();
        foreach (var field in fields)
        {
            if (AreaLength(area) + field.Length + ContinuationField > Sector)
            {
                node.ContinuationAreas.Add(area);
                area = [];
            }
            area.Add(field);
        }
        node.ContinuationAreas.Add(area);
    }

    private static int AreaLength(List<byte[]> area) => area.Sum(f => f.Length);

    /// <summary>An area's bytes on the image: its fields, and the CE field leading on when another area follows.</summary>
    private static int AreaLength(Node node, int index) =>
        AreaLength(node.ContinuationAreas[index]) + (index + 1 < node.ContinuationAreas.Count ? ContinuationField : 0);

    private static int Even(int length) => length + (length & 1);

    private byte[] PlainName(Node node) =>
        Encoding.ASCII.GetBytes(rockRidge ? node.Name.ToUpperInvariant()[..Math.Min(node.Name.Length, 30)] : node.Name);

    private int Pad(Node node) => PlainName(node).Length % 2 == 0 ? 1 : 0;

    private List<byte[]> RockRidgeFields(Node node)
    {
        if (node.SystemUse is { } raw)
            return [raw];
        if (!rockRidge)
            return [];
        var name = Encoding.UTF8.GetBytes(node.Name);
        List<byte[]> fields = [[.. "NM"u8, (byte)(5 + name.Length), 1, 0, .. name]];
        if (node.Target is null)
            return fields;
        var components = new List<byte[]>();
        if (node.Target.StartsWith('/'))
            components.Add([0x08, 0]);
        foreach (var part in node.Target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            components.Add(part switch
            {
                "." => [0x02, 0],
                ".." => [0x04, 0],
                _ => [0, (byte)part.Length, .. Encoding.UTF8.GetBytes(part)],
            });
        }
        var field = new List<byte[]>();
        foreach (var component in components)
        {
            if (5 + field.Sum(c => c.Length) + component.Length > MaxRecord)
            {
                fields.Add(SymlinkField(field));
                field = [];
            }
            field.Add(component);
        }
        fields.Add(SymlinkField(field));
        return fields;
    }

    private static byte[] SymlinkField(List<byte[]> components)
    {
        var body = components.SelectMany(c => c).ToArray();
        return [.. "SL"u8, (byte)(5 + body.Length), 1, 0, .. body];
    }

    private static byte[] Continuation(int lba, int length)
    {
        var field = new byte[ContinuationField];
        "CE"u8.CopyTo(field);
        field[2] = ContinuationField;
        field[3] = 1;
        BothEndian32(field.AsSpan(4), (uint)lba);
        BothEndian32(field.AsSpan(12), 0);
        BothEndian32(field.AsSpan(20), (uint)length);
        return field;
    }

    private static void BothEndian32(Span<byte> at, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(at, value);
        BinaryPrimitives.WriteUInt32BigEndian(at[4..], value);
    }

    private static void BothEndian16(Span<byte> at, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(at, value);
        BinaryPrimitives.WriteUInt16BigEndian(at[2..], value);
    }

    private static byte[] Record(int lba, long size, byte flags, ReadOnlySpan<byte> name, ReadOnlySpan<byte> systemUse)
    {
        var pad = name.Length % 2 == 0 ? 1 : 0;
        var record = new byte[Even(33 + name.Length + pad + systemUse.Length)];
        record[0] = (byte)record.Length;
        BothEndian32(record.AsSpan(2), (uint)lba);
        BothEndian32(record.AsSpan(10), (uint)size);
        record[25] = flags;
        BothEndian16(record.AsSpan(28), 1);
        record[32] = (byte)name.Length;
        name.CopyTo(record.AsSpan(33));
        systemUse.CopyTo(record.AsSpan(33 + name.Length + pad));
        return record;
    }

    private void WriteDescriptors(byte[] image, int sectors)
    {
        var primary = image.AsSpan(16 * Sector, Sector);
        primary[0] = 1;
        "CD001"u8.CopyTo(primary[1..]);
        primary[6] = 1;
        BothEndian32(primary[80..], (uint)sectors);
        BothEndian16(primary[120..], 1);
        BothEndian16(primary[124..], 1);
        BothEndian16(primary[128..], Sector);
        Record(root.Lba, root.Size, 0x02, [0], []).CopyTo(primary[156..]);
        primary[881] = 1;
        for (var i = 0; i < extraDescriptors.Count; i++)
            extraDescriptors[i].CopyTo(image, (17L + i) * Sector);
        var terminator = image.AsSpan((17 + extraDescriptors.Count) * Sector, Sector);
        terminator[0] = 255;
        "CD001"u8.CopyTo(terminator[1..]);
        terminator[6] = 1;
    }

    private void WriteDirectory(byte[] image, Node directory, Node parent)
    {
        byte[] sharingProtocol = [.. "SP"u8, 7, 1, 0xBE, 0xEF, 0];
        var records = new List<byte[]>
        {
            Record(directory.Lba, directory.Size, 0x02, [0], directory == root && rockRidge ? sharingProtocol : []),
            Record(parent.Lba, parent.Size, 0x02, [1], []),
        };
        foreach (var child in directory.Children)
        {
            var systemUse = child.ContinuationAreas.Count > 0
                ? Continuation(child.ContinuationLbas[0], AreaLength(child, 0))
                : RockRidgeFields(child).SelectMany(f => f).ToArray();
            if (child.Kind == Kind.File)
            {
                for (var i = 0; i < child.Extents.Count; i++)
                {
                    var (lba, part) = child.Extents[i];
                    records.Add(Record(lba, part.Length, (byte)(i + 1 < child.Extents.Count ? 0x80 : 0), PlainName(child), systemUse));
                }
            }
            else
            {
                records.Add(child.Kind == Kind.Directory
                    ? Record(child.Lba, child.Size, 0x02, PlainName(child), systemUse)
                    : Record(0, 0, 0, PlainName(child), systemUse));
            }
        }
        long at = (long)directory.Lba * Sector;
        foreach (var record in records)
        {
            if (at % Sector + record.Length > Sector)
                at = (at / Sector + 1) * Sector;
            record.CopyTo(image, at);
            at += record.Length;
        }
    }
}
