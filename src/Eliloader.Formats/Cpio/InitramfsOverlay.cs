namespace Eliloader.Formats.Cpio;

/// <summary>
/// Lays an overlay archive over a vendor initramfs, the way unpacking the vendor
/// archive and then the overlay over it did, without a tree on disk: the vendor's
/// members stream to the output except those the overlay replaces, then the
/// overlay's members. Modes, owners, device numbers, symlinks and hard links pass
/// through; inode numbers are renumbered so the two archives' links never meet.
/// </summary>
public static class InitramfsOverlay
{
    private const int MaxOverlayEntries = 100_000;

    /// <param name="openOverlay">Opens the overlay (a plain cpio archive); it is read twice.</param>
    public static void Rewrite(Stream vendor, Func<Stream> openOverlay, Stream output, long maxUnpackedBytes, CpioLimits limits)
    {
        var replaced = OverlayNames(openOverlay, limits);
        var writer = new CpioWriter(output);
        var inodes = new Dictionary<(int Source, uint Major, uint Minor, uint Inode), uint>();

        var reader = new InitramfsReader(vendor, maxUnpackedBytes, limits);
        var links = new PendingLinks();
        while (reader.GetNextEntry() is { } entry)
        {
            var kept = !replaced.Contains(CpioNames.Normalize(entry.Name));
            if (PendingLinks.IsEarlierLink(entry))
            {
                if (kept)
                    links.Hold(entry);
                continue;
            }
            // The names before it that survive are written now; if the overlay replaces
            // the one carrying the data, the last survivor carries it instead, so the
            // vendor's other names keep the content GNU cpio would have left them.
            var survivors = links.Release(entry);
            var carrier = kept ? entry : survivors.LastOrDefault();
            foreach (var link in survivors.Where(link => link != carrier))
                writer.WriteEntry(Renumbered(link, 0, inodes), null);
            if (carrier is not null)
                writer.WriteEntry(Renumbered(carrier with { DataLength = entry.DataLength }, 0, inodes), reader.DataStream);
        }
        foreach (var link in links.Remaining())
            writer.WriteEntry(Renumbered(link, 0, inodes), null);
        using (var overlay = openOverlay())
        {
            var overlayReader = new InitramfsReader(overlay, maxUnpackedBytes, limits);
            while (overlayReader.GetNextEntry() is { } entry)
                writer.WriteEntry(Renumbered(entry, 1, inodes), overlayReader.DataStream);
        }
        writer.Finish();
    }

    /// <summary>The vendor bytes untouched, then the overlay archive on a four-byte boundary, as virt-install appends.</summary>
    public static void Append(Stream vendor, Stream overlay, Stream output)
    {
        var copied = Copy(vendor, output);
        var padding = (int)((4 - copied % 4) % 4);
        output.Write(new byte[padding]);
        Copy(overlay, output);
        output.Flush();
    }

    private static HashSet<string> OverlayNames(Func<Stream> openOverlay, CpioLimits limits)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var overlay = openOverlay();
        var reader = new InitramfsReader(overlay, long.MaxValue, limits with { MaxEntries = MaxOverlayEntries });
        while (reader.GetNextEntry() is { } entry)
            names.Add(CpioNames.Normalize(entry.Name));
        return names;
    }

    private static CpioEntry Renumbered(CpioEntry entry, int source, Dictionary<(int, uint, uint, uint), uint> inodes)
    {
        var key = (source, entry.DevMajor, entry.DevMinor, entry.Inode);
        if (!inodes.TryGetValue(key, out var inode))
            inodes[key] = inode = (uint)inodes.Count + 1;
        return entry with { Inode = inode, DevMajor = 0, DevMinor = 0, Format = CpioFormat.Newc, Checksum = 0 };
    }

    private static long Copy(Stream from, Stream to)
    {
        var buffer = new byte[1 << 20];
        long total = 0;
        int read;
        while ((read = from.Read(buffer, 0, buffer.Length)) > 0)
        {
            to.Write(buffer, 0, read);
            total += read;
        }
        return total;
    }
}
