using Eliloader.Formats.Cpio;

namespace Eliloader.Formats.Ext2;

/// <summary>
/// Lays a cpio overlay over an ext2 installer ramdisk (RHEL 4) the way unpacking it
/// into the loop-mounted image did, without mounting: the vendor tree is read from
/// the image, the overlay's members replace or join it, and a fresh image with the
/// vendor's geometry is written.
/// </summary>
public static class Ext2Overlay
{
    private const long MaxOverlayBytes = 64 << 20;

    public static void Rewrite(Stream vendorImage, Func<Stream> openOverlay, Stream output, CpioLimits limits, uint now)
    {
        var reader = Ext2Reader.Open(vendorImage);
        var root = reader.ReadTree();
        using (var overlay = openOverlay())
        {
            var members = new InitramfsReader(overlay, MaxOverlayBytes, limits);
            while (members.GetNextEntry() is { } entry)
            {
                var data = new MemoryStream();
                members.DataStream.CopyTo(data);
                var bytes = data.ToArray();
                var node = new Ext2Node
                {
                    Mode = entry.Mode,
                    Uid = entry.Uid,
                    Gid = entry.Gid,
                    AccessTime = entry.ModificationTime,
                    ChangeTime = entry.ModificationTime,
                    ModificationTime = entry.ModificationTime,
                    RdevMajor = entry.RdevMajor,
                    RdevMinor = entry.RdevMinor,
                    Size = bytes.Length,
                    Data = bytes.Length > 0 ? () => new MemoryStream(bytes) : null,
                };
                Place(root, CpioNames.Normalize(entry.Name), node, now);
            }
        }
        Ext2Builder.Write(output, root, reader.Superblock, now);
    }

    /// <summary>Puts a member at its path, making missing directories; a directory already there keeps its contents.</summary>
    private static void Place(Ext2Node root, string path, Ext2Node node, uint now)
    {
        if (path == ".")
            return;
        var parts = path.Split('/');
        var directory = root;
        foreach (var part in parts[..^1])
        {
            if (!directory.Children.TryGetValue(part, out var next) || !next.IsDirectory)
            {
                next = new Ext2Node { Mode = UnixFileType.Directory | 0b111_101_101, ModificationTime = now };
                directory.Children[part] = next;
            }
            directory = next;
        }
        var name = parts[^1];
        if (node.IsDirectory && directory.Children.TryGetValue(name, out var existing) && existing.IsDirectory)
            return;
        directory.Children[name] = node;
    }
}
