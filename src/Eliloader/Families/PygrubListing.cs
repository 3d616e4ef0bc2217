using Eliloader.Errors;

namespace Eliloader.Families;

/// <summary>
/// The entry list `pygrub -l` prints: a "title: …" line per entry, followed by
/// indented root, kernel, args and initrd lines. It is read from the guest's own
/// disk, so any other line is refused rather than guessed at.
/// </summary>
public static class PygrubListing
{
    private const int MaxEntries = 1000;
    private static readonly string[] EntryDetails = ["  root:", "  kernel:", "  args:", "  initrd:", "  ramdisk:"];

    public static List<string> Titles(string listing)
    {
        var titles = new List<string>();
        foreach (var line in listing.Split('\n'))
        {
            if (line.StartsWith("title:", StringComparison.Ordinal))
            {
                if (titles.Count == MaxEntries)
                    throw new ApiError(ApiError.InvalidSource, $"pygrub listed more than {MaxEntries} boot entries.");
                titles.Add(line["title:".Length..].Trim());
            }
            else if (line.Length > 0 && !EntryDetails.Any(d => line.StartsWith(d, StringComparison.Ordinal)))
            {
                throw new ApiError(ApiError.InvalidSource, $"pygrub listed an unexpected line: '{Shorten(line)}'.");
            }
        }
        return titles;
    }

    private static string Shorten(string line) => line.Length > 200 ? line[..200] + "…" : line;
}
