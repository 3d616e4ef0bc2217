using System.Text;

namespace Eliloader.Formats.OpenPgp;

/// <summary>
/// A cleartext-signed message (RFC 4880 section 7), as Debian's InRelease is: the
/// "-----BEGIN PGP SIGNED MESSAGE-----" line, "Hash:" headers, a blank line, the
/// dash-escaped text, and an armored signature. Only blank lines may stand before or
/// after it: text outside the signature would be read by nobody's check (the trick
/// apt closed in 2013), so it is refused.
/// </summary>
public sealed class ClearsignedText
{
    public const string SignatureLabel = "SIGNATURE";
    private const string MessageLabel = "SIGNED MESSAGE";
    private const string HashHeader = "Hash";

    private ClearsignedText(IReadOnlyList<string> lines, IReadOnlyList<string> hashes, byte[] signature)
    {
        Lines = lines;
        Hashes = hashes;
        Signature = signature;
    }

    /// <summary>The signed text's lines, dash-escaping undone.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The hash algorithms the Hash headers name (none when there is no header).</summary>
    public IReadOnlyList<string> Hashes { get; }

    /// <summary>The signature packets, de-armored.</summary>
    public byte[] Signature { get; }

    /// <summary>The text as a file: every line followed by a line feed.</summary>
    public string Text => string.Concat(Lines.Select(line => line + "\n"));

    /// <summary>
    /// The bytes the signature covers: each line without trailing spaces and tabs, the
    /// lines joined by CR LF, no line end after the last.
    /// </summary>
    public byte[] SignedBytes() =>
        Encoding.UTF8.GetBytes(string.Join("\r\n", Lines.Select(line => line.TrimEnd(' ', '\t'))));

    public static ClearsignedText Parse(string text)
    {
        var lines = TextLines.Split(text);
        var index = 0;
        while (index < lines.Count && TextLines.IsBlank(lines[index]))
            index++;
        if (index == lines.Count || ArmoredBlock.BeginLabel(lines[index]) != MessageLabel)
            throw new InvalidDataException($"not a clearsigned message: it does not start with '-----BEGIN PGP {MessageLabel}-----'");
        index++;
        var hashes = new List<string>();
        for (; ; index++)
        {
            if (index == lines.Count)
                throw new InvalidDataException("clearsigned message: the headers never end");
            var header = lines[index].TrimEnd();
            if (header.Length == 0)
                break;
            if (!header.StartsWith(HashHeader + ": ", StringComparison.Ordinal))
                throw new InvalidDataException($"clearsigned message line {index + 1}: '{TextLines.Shorten(header)}' is not a Hash header");
            hashes.AddRange(header[(HashHeader.Length + 2)..].Split(',', StringSplitOptions.TrimEntries));
        }
        index++;
        var body = new List<string>();
        for (; ; index++)
        {
            if (index == lines.Count)
                throw new InvalidDataException($"clearsigned message: no '-----BEGIN PGP {SignatureLabel}-----' line");
            var line = lines[index];
            if (ArmoredBlock.BeginLabel(line) is { } label)
            {
                if (label != SignatureLabel)
                    throw new InvalidDataException($"clearsigned message line {index + 1}: armored {label} inside the signed text");
                break;
            }
            if (line.StartsWith("- ", StringComparison.Ordinal))
                body.Add(line[2..]);
            else if (line.StartsWith('-'))
                throw new InvalidDataException($"clearsigned message line {index + 1}: '{TextLines.Shorten(line)}' starts with a dash that is not escaped");
            else
                body.Add(line);
        }
        var signature = ArmoredBlock.Read(lines, ref index);
        for (; index < lines.Count; index++)
        {
            if (!TextLines.IsBlank(lines[index]))
                throw new InvalidDataException($"clearsigned message line {index + 1}: text after the signature");
        }
        return new ClearsignedText(body, hashes, signature.Data);
    }
}
