namespace Eliloader.Formats.OpenPgp;

/// <summary>Line handling shared by the armor and clearsign readers: LF or CRLF line ends, as OpenPGP allows.</summary>
internal static class TextLines
{
    /// <summary>The lines of a text without their ends; a final line end does not start another line.</summary>
    public static List<string> Split(string text)
    {
        var lines = new List<string>(text.Split('\n'));
        if (lines[^1].Length == 0)
            lines.RemoveAt(lines.Count - 1);
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].EndsWith('\r'))
                lines[i] = lines[i][..^1];
        }
        return lines;
    }

    /// <summary>Spaces and tabs only: the whitespace OpenPGP strips from line ends.</summary>
    public static bool IsBlank(string line) => line.AsSpan().TrimEnd(" \t").Length == 0;

    public static string Shorten(string line) => line.Length > 80 ? line[..80] + "…" : line;
}
