namespace Eliloader.Formats.Iso9660;

/// <summary>
/// The entries of one directory, read once per image and looked up by name: exactly
/// (Rock Ridge names are case-sensitive), or ignoring case for Joliet and plain ISO
/// names, as mount showed them. The first of two equal names wins.
/// </summary>
internal sealed class IsoDirectory
{
    private readonly Dictionary<string, IsoEntry> exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IsoEntry> ignoringCase = new(StringComparer.OrdinalIgnoreCase);

    public int Count { get; private set; }

    public void Add(IsoEntry entry)
    {
        Count++;
        exact.TryAdd(entry.Name, entry);
        ignoringCase.TryAdd(entry.Name, entry);
    }

    public IsoEntry? Find(string name, bool caseSensitive) =>
        exact.GetValueOrDefault(name) ?? (caseSensitive ? null : ignoringCase.GetValueOrDefault(name));
}
