using System.Text;

namespace Eliloader.Output;

/// <summary>What the installed toolstack binary says about the caller generation.</summary>
/// <param name="Binary">The toolstack binary found, or null when none of the configured paths exists.</param>
public sealed record ToolstackFacts(string? Binary, bool ExpectsSimpleFormat, bool ReadsRuntimeErrorMarker);

/// <summary>
/// Looks for the strings that tell caller generations apart inside the toolstack
/// binary: the simple-format parser's message (September 2016 on) and the
/// "RuntimeError: " marker the error reader searches for (August 2012 on).
/// </summary>
public static class ToolstackProbe
{
    public const string SimpleParserMessage = "Unrecognised start of line when parsing bootloader result";
    public const string RuntimeErrorMarker = "RuntimeError: ";
    private const int ChunkSize = 1 << 20;

    public static ToolstackFacts Probe(IReadOnlyList<string> binaries)
    {
        var binary = binaries.FirstOrDefault(File.Exists);
        if (binary is null)
            return new ToolstackFacts(null, false, false);
        var found = Contains(binary, [SimpleParserMessage, RuntimeErrorMarker]);
        return new ToolstackFacts(binary, found[0], found[1]);
    }

    /// <summary>Streams the file once and reports, per needle, whether it occurs.</summary>
    internal static bool[] Contains(string path, IReadOnlyList<string> needles)
    {
        var patterns = needles.Select(Encoding.ASCII.GetBytes).ToArray();
        var found = new bool[patterns.Length];
        var overlap = patterns.Max(p => p.Length) - 1;
        var buffer = new byte[ChunkSize + overlap];
        using var file = File.OpenRead(path);
        var carried = 0;
        int read;
        while ((read = file.Read(buffer, carried, ChunkSize)) > 0)
        {
            var window = buffer.AsSpan(0, carried + read);
            for (var i = 0; i < patterns.Length; i++)
                found[i] |= window.IndexOf(patterns[i]) >= 0;
            if (found.All(f => f))
                break;
            carried = Math.Min(overlap, window.Length);
            window[^carried..].CopyTo(buffer);
        }
        return found;
    }
}
