namespace Eliloader.Formats.TreeInfo;

/// <summary>
/// A Red Hat-style install tree's <c>.treeinfo</c>: INI sections of "key = value"
/// lines, "#" and ";" comments. Read from a guest's repository, so the size, the
/// number of lines and the line length are bounded, and a malformed line is an
/// error naming it.
/// </summary>
public sealed class TreeInfoFile
{
    public const int MaxBytes = 1 << 20;
    private const int MaxLineLength = 4096;

    private readonly Dictionary<string, Dictionary<string, string>> sections;

    private TreeInfoFile(Dictionary<string, Dictionary<string, string>> sections) => this.sections = sections;

    public string? Get(string section, string key) =>
        sections.TryGetValue(section, out var values) && values.TryGetValue(key, out var value) ? value : null;

    /// <summary>Every key of a section in file order; empty when the section is absent.</summary>
    public IEnumerable<KeyValuePair<string, string>> Section(string section) =>
        sections.TryGetValue(section, out var values) ? values : [];

    public static TreeInfoFile Read(Stream input)
    {
        using var limited = new StreamReader(new BoundedReadStream(input, MaxBytes));
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        var number = 0;
        while (limited.ReadLine() is { } raw)
        {
            number++;
            if (raw.Length > MaxLineLength)
                throw new InvalidDataException($".treeinfo line {number} is longer than {MaxLineLength} characters");
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
                continue;
            if (line[0] == '[')
            {
                if (line[^1] != ']' || line.Length < 3)
                    throw new InvalidDataException($".treeinfo line {number} is not a section header: '{line}'");
                var name = line[1..^1].Trim();
                if (!sections.TryGetValue(name, out current))
                    sections[name] = current = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }
            var equals = line.IndexOf('=');
            if (equals <= 0 || current is null)
                throw new InvalidDataException($".treeinfo line {number} is not 'key = value' inside a section: '{line}'");
            current[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }
        return new TreeInfoFile(sections);
    }
}
