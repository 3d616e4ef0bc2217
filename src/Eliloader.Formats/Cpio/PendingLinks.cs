namespace Eliloader.Formats.Cpio;

/// <summary>
/// The data-less earlier names of newc hard links (the data comes with the last name),
/// held back until the name with the data shows whether it survives the overlay.
/// Only headers are held, so memory stays within the entry-count bound.
/// </summary>
public sealed class PendingLinks
{
    private readonly Dictionary<(uint Major, uint Minor, uint Inode), List<CpioEntry>> held = [];

    /// <summary>A regular file with more links and no data here: in newc its data is on a later name.</summary>
    public static bool IsEarlierLink(CpioEntry entry) =>
        entry.Type == UnixFileType.RegularFile && entry.LinkCount > 1 && entry.DataLength == 0 && entry.Format is CpioFormat.Newc or CpioFormat.Crc;

    public void Hold(CpioEntry entry)
    {
        var key = (entry.DevMajor, entry.DevMinor, entry.Inode);
        if (!held.TryGetValue(key, out var names))
            held[key] = names = [];
        names.Add(entry);
    }

    /// <summary>The held names of the file <paramref name="last"/> belongs to, in archive order; they are no longer held.</summary>
    public IReadOnlyList<CpioEntry> Release(CpioEntry last) =>
        last.LinkCount > 1 && held.Remove((last.DevMajor, last.DevMinor, last.Inode), out var names) ? names : [];

    /// <summary>Names whose data never came: hard-linked empty files, written as they were.</summary>
    public IEnumerable<CpioEntry> Remaining() => held.Values.SelectMany(names => names);
}
