namespace Eliloader.Formats.OpenPgp;

/// <summary>
/// One block of OpenPGP ASCII armor (RFC 4880 section 6.2): a
/// "-----BEGIN PGP &lt;label&gt;-----" line, "Key: value" headers and a blank line,
/// base64 lines, an optional "=" CRC-24 line, and the matching END line. Armor comes
/// from mirrors and from administrators' keyring files, so every deviation is an
/// <see cref="InvalidDataException"/> naming the line.
/// </summary>
public sealed record ArmoredBlock(string Label, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Data)
{
    private const string Dashes = "-----";
    private const string BeginPrefix = Dashes + "BEGIN PGP ";
    private const string EndPrefix = Dashes + "END PGP ";

    /// <summary>The label when <paramref name="line"/> opens a block ("-----BEGIN PGP SIGNATURE-----" gives "SIGNATURE"), else null.</summary>
    public static string? BeginLabel(string line) => LabelOf(line, BeginPrefix);

    /// <summary>Every block of a text, in order; text between blocks is not allowed except blank lines.</summary>
    public static IReadOnlyList<ArmoredBlock> ReadAll(string text)
    {
        var lines = TextLines.Split(text);
        var blocks = new List<ArmoredBlock>();
        var index = 0;
        while (index < lines.Count)
        {
            if (TextLines.IsBlank(lines[index]))
            {
                index++;
                continue;
            }
            blocks.Add(Read(lines, ref index));
        }
        if (blocks.Count == 0)
            throw new InvalidDataException("no armored block");
        return blocks;
    }

    /// <summary>Reads the block whose BEGIN line is <c>lines[index]</c>; leaves <paramref name="index"/> after its END line.</summary>
    public static ArmoredBlock Read(IReadOnlyList<string> lines, ref int index)
    {
        var label = BeginLabel(lines[index])
            ?? throw new InvalidDataException($"line {index + 1}: expected '{BeginPrefix}…{Dashes}', found '{TextLines.Shorten(lines[index])}'");
        index++;
        var headers = new List<KeyValuePair<string, string>>();
        for (; ; index++)
        {
            if (index == lines.Count)
                throw new InvalidDataException($"armored {label}: the headers never end");
            var line = lines[index].TrimEnd();
            if (line.Length == 0)
                break;
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0)
                throw new InvalidDataException($"line {index + 1}: armored {label}: '{TextLines.Shorten(line)}' is not a 'Key: value' header");
            headers.Add(new(line[..colon], line[(colon + 2)..]));
        }
        index++;
        var body = new System.Text.StringBuilder();
        string? checksum = null;
        for (; ; index++)
        {
            if (index == lines.Count)
                throw new InvalidDataException($"armored {label}: no '{EndPrefix}{label}{Dashes}' line");
            var line = lines[index].TrimEnd();
            if (LabelOf(line, EndPrefix) is { } end)
            {
                if (end != label)
                    throw new InvalidDataException($"line {index + 1}: armored {label} ends as {end}");
                index++;
                break;
            }
            if (checksum is not null)
                throw new InvalidDataException($"line {index + 1}: armored {label}: data after the checksum line");
            if (line.StartsWith('='))
                checksum = line;
            else
                body.Append(line);
        }
        var data = Base64(body.ToString(), label);
        if (checksum is not null)
            CheckCrc24(checksum, data, label);
        return new ArmoredBlock(label, headers, data);
    }

    private static string? LabelOf(string line, string prefix)
    {
        var trimmed = line.TrimEnd();
        return trimmed.StartsWith(prefix, StringComparison.Ordinal) && trimmed.EndsWith(Dashes, StringComparison.Ordinal)
            && trimmed.Length > prefix.Length + Dashes.Length
            ? trimmed[prefix.Length..^Dashes.Length]
            : null;
    }

    private static byte[] Base64(string text, string label)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"armored {label}: the data is not base64");
        }
    }

    private static void CheckCrc24(string line, byte[] data, string label)
    {
        byte[] stated;
        try
        {
            stated = Convert.FromBase64String(line[1..]);
        }
        catch (FormatException)
        {
            stated = [];
        }
        if (stated.Length != 3)
            throw new InvalidDataException($"armored {label}: '{TextLines.Shorten(line)}' is not a CRC-24 line");
        var expected = (stated[0] << 16) | (stated[1] << 8) | stated[2];
        var actual = Crc24.Compute(data);
        if (expected != actual)
            throw new InvalidDataException($"armored {label}: CRC-24 is {actual:x6}, the armor says {expected:x6}");
    }
}
