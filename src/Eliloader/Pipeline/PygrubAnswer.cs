using Eliloader.Errors;

namespace Eliloader.Pipeline;

/// <summary>
/// What pygrub printed for a medium, in either of its formats: simple ("key value"
/// lines, then a blank line) or SXP (<c>linux (kernel '…')(ramdisk '…')(args '…')</c>,
/// values in Python's repr quoting; pygrubs older than --output-format printed the
/// paths as bare atoms). It echoes the guest's boot configuration, so it
/// is read strictly, as the toolstack reads a bootloader's answer: unknown or repeated
/// keys, malformed lines and a missing kernel are INVALID_SOURCE.
/// </summary>
public sealed record PygrubAnswer(string? Kernel, string? Ramdisk, string? Args)
{
    private static readonly string[] Keys = ["kernel", "ramdisk", "args"];

    public static PygrubAnswer ParseSimple(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            if (line.Length == 0)
                continue;
            var space = line.IndexOf(' ');
            if (space < 0)
                throw Refused($"pygrub printed a line without a value: '{Excerpt.Of(line)}'.");
            Add(values, line[..space], line[(space + 1)..], line);
        }
        return From(values);
    }

    public static PygrubAnswer ParseSxp(string output)
    {
        const string Prefix = "linux ";
        var text = output.TrimEnd('\n');
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
            throw Refused($"pygrub's answer does not start with '{Prefix.Trim()}': '{Excerpt.Of(text)}'.");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var at = Prefix.Length;
        while (at < text.Length)
        {
            if (text[at] != '(')
                throw Refused($"pygrub's answer has '{text[at]}' where '(' belongs: '{Excerpt.Of(text)}'.");
            var space = text.IndexOf(' ', at);
            if (space < 0)
                throw Refused($"pygrub's answer has a key without a value: '{Excerpt.Of(text[at..])}'.");
            var key = text[(at + 1)..space];
            var (value, end) = PythonRepr.ReadString(text, space + 1) ?? Atom(text, space + 1)
                ?? throw Refused($"pygrub's answer has a value that is neither a quoted string nor an atom: '{Excerpt.Of(text[at..])}'.");
            if (end >= text.Length || text[end] != ')')
                throw Refused($"pygrub's answer does not close '({key}': '{Excerpt.Of(text[at..])}'.");
            Add(values, key, value, text[at..(end + 1)]);
            at = end + 1;
        }
        return From(values);
    }

    /// <summary>A bare S-expression atom: no space, parenthesis or quote.</summary>
    private static (string Value, int End)? Atom(string text, int start)
    {
        var end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && !char.IsControl(text[end]) && text[end] is not ('(' or ')' or '\'' or '"'))
            end++;
        return end > start ? (text[start..end], end) : null;
    }

    private static void Add(Dictionary<string, string> values, string key, string value, string source)
    {
        if (!Keys.Contains(key))
            throw Refused($"pygrub printed an unknown key: '{Excerpt.Of(source)}'.");
        if (!values.TryAdd(key, value))
            throw Refused($"pygrub printed '{key}' twice.");
    }

    private static PygrubAnswer From(Dictionary<string, string> values) =>
        new(values.GetValueOrDefault("kernel"), values.GetValueOrDefault("ramdisk"), values.GetValueOrDefault("args"));

    private static ApiError Refused(string message) => new(ApiError.InvalidSource, message);
}
