using System.Globalization;

namespace Eliloader.Formats.Debian;

/// <summary>A file a Release file lists: its digest by one algorithm (the field's name), its size, and its path under the Release's directory.</summary>
public sealed record ReleaseEntry(string Field, string Hex, long Size, string Path);

/// <summary>
/// A Debian archive's Release file (the text of InRelease, or Release beside
/// Release.gpg): one paragraph of "Field: value" lines, the digest fields
/// (MD5Sum, SHA1, SHA256, SHA512) listing " hex size path" lines. A mirror serves it,
/// so it is read strictly: a malformed line, a repeated field or a second paragraph is
/// an <see cref="InvalidDataException"/> naming the line.
/// </summary>
public sealed class ReleaseFile
{
    /// <summary>Digest fields, strongest first, with the length of their hex digests.</summary>
    public static readonly IReadOnlyList<(string Field, int HexLength)> DigestFields =
        [("SHA512", 128), ("SHA256", 64), ("SHA1", 40), ("MD5Sum", 32)];

    private readonly Dictionary<string, string> fields;
    private readonly List<ReleaseEntry> entries;

    private ReleaseFile(Dictionary<string, string> fields, List<ReleaseEntry> entries)
    {
        this.fields = fields;
        this.entries = entries;
    }

    /// <summary>A single-line field's value (field names are case-insensitive), or null.</summary>
    public string? Field(string name) => fields.GetValueOrDefault(name);

    public IReadOnlyList<ReleaseEntry> Entries => entries;

    /// <summary>What the file lists for a path, strongest digest first.</summary>
    public IReadOnlyList<ReleaseEntry> For(string path) =>
        entries.Where(e => e.Path == path).OrderBy(e => FieldRank(e.Field)).ToList();

    public static ReleaseFile Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var entries = new List<ReleaseEntry>();
        var lines = text.Split('\n');
        string? digestField = null;
        var ended = false;
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r');
            var number = index + 1;
            if (line.Trim().Length == 0)
            {
                ended = fields.Count > 0;
                continue;
            }
            if (ended)
                throw new InvalidDataException($"Release line {number}: a second paragraph");
            if (line[0] is ' ' or '\t')
            {
                if (fields.Count == 0)
                    throw new InvalidDataException($"Release line {number}: a continuation line before any field");
                if (digestField is not null)
                    entries.Add(Entry(digestField, line, number));
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon <= 0 || line[..colon].Any(c => c <= ' '))
                throw new InvalidDataException($"Release line {number}: '{Shorten(line)}' is not 'Field: value'");
            var name = line[..colon];
            if (!fields.TryAdd(name, line[(colon + 1)..].Trim()))
                throw new InvalidDataException($"Release line {number}: field '{name}' appears twice");
            digestField = FieldRank(name) < DigestFields.Count ? DigestFields[FieldRank(name)].Field : null;
        }
        return new ReleaseFile(fields, entries);
    }

    private static ReleaseEntry Entry(string field, string line, int number)
    {
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var hexLength = DigestFields[FieldRank(field)].HexLength;
        if (parts.Length != 3 || parts[0].Length != hexLength || !parts[0].All(char.IsAsciiHexDigit)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            throw new InvalidDataException($"Release line {number}: '{Shorten(line.Trim())}' is not '<{field} digest> <size> <path>'");
        return new ReleaseEntry(field, parts[0].ToLowerInvariant(), size, parts[2]);
    }

    /// <summary>A field's place in <see cref="DigestFields"/>, or past the end when it is no digest field.</summary>
    private static int FieldRank(string name)
    {
        for (var i = 0; i < DigestFields.Count; i++)
        {
            if (string.Equals(DigestFields[i].Field, name, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return DigestFields.Count;
    }

    private static string Shorten(string line) => line.Length > 80 ? line[..80] + "…" : line;
}
