using Eliloader.Errors;

namespace Eliloader.Families;

/// <summary>One boot entry of a pygrub listing; <see cref="HasKernel"/> is false for a chainloader entry.</summary>
public sealed record ListedEntry(string Title, bool HasKernel);

/// <summary>
/// The entry list `pygrub -l` prints: per entry a "title: …" line and indented root,
/// kernel, args and initrd lines, in that order. It is read from the guest's own
/// disk, so any other line, or one out of order, is refused rather than guessed at.
/// pygrub stops listing, and still exits 0, at the first entry without a kernel (a
/// chainloader entry, after its root line) or without an initrd (after its args
/// line); it may then list another partition's menu, whose indexes are not the ones
/// --entry counts. So the entries end with the one where the listing stopped, and
/// <see cref="Stopped"/> says that any entries after it were not seen.
/// </summary>
public sealed record PygrubListing(IReadOnlyList<ListedEntry> Entries, bool Stopped)
{
    private const int MaxEntries = 1000;
    private const string TitleLine = "title:";
    private static readonly string[] DetailLines = ["  root:", "  kernel:", "  args:", "  initrd:"];
    private const int KernelLine = 1;

    /// <summary>Where the listing stopped, for messages: "entry N 'title', which has no kernel".</summary>
    public string? StoppedAt => Stopped
        ? $"entry {Entries.Count - 1} '{Entries[^1].Title}', which has no {(Entries[^1].HasKernel ? "initrd" : "kernel")}"
        : null;

    public static PygrubListing Read(string listing)
    {
        var entries = new List<ListedEntry>();
        string? title = null;
        var details = 0;
        var stopped = false;
        foreach (var line in listing.Split('\n'))
        {
            if (line.Length == 0)
                continue;
            if (line.StartsWith(TitleLine, StringComparison.Ordinal))
            {
                if (title is not null)
                    stopped |= details < DetailLines.Length;
                if (entries.Count == MaxEntries)
                    throw new ApiError(ApiError.InvalidSource, $"pygrub listed more than {MaxEntries} boot entries.");
                if (!stopped)
                    entries.Add(new ListedEntry(line[TitleLine.Length..].Trim(), false));
                title = line;
                details = 0;
                continue;
            }
            var detail = Array.FindIndex(DetailLines, d => line.StartsWith(d, StringComparison.Ordinal));
            if (detail < 0 || title is null)
                throw new ApiError(ApiError.InvalidSource, $"pygrub listed an unexpected line: '{Excerpt.Of(line)}'.");
            if (detail != details)
                throw new ApiError(ApiError.InvalidSource, $"pygrub listed '{Excerpt.Of(line)}' out of order in the entry '{Excerpt.Of(title)}'.");
            details++;
            if (detail == KernelLine && !stopped)
                entries[^1] = entries[^1] with { HasKernel = true };
        }
        stopped |= title is not null && details < DetailLines.Length;
        return new PygrubListing(entries, stopped);
    }
}
