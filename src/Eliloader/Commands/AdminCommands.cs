namespace Eliloader.Commands;

/// <summary>One administrator's command: the word that selects it, its line in `eliloader --help`, and how to make it.</summary>
public sealed record AdminCommandEntry(string Name, string Summary, Func<AdminCommand> Create);

/// <summary>
/// The administrators' commands, by the first word of the command line. Adding one
/// is its file and its line here. Nothing is built until one is chosen: the
/// toolstack's boot run only pays for the look-up.
/// </summary>
public static class AdminCommands
{
    public static readonly IReadOnlyList<AdminCommandEntry> All =
    [
        new("diagnose", "a dry run of a VM's first boot, naming what would fail", () => new DiagnoseCommand()),
        new("restart", "a VM back to the start of its install", () => new RestartCommand()),
        new("prefetch", "a release's kernel and ramdisk into the image cache ahead of time", () => new PrefetchCommand()),
        new("cache", "list, verify or prune the image cache", () => new CacheCommand()),
        new("keys", "list the OpenPGP keys signed install trees are checked against", () => new KeysCommand()),
    ];

    /// <summary>The command argv names, or null for a toolstack run.</summary>
    public static AdminCommandEntry? Find(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0)
            return null;
        foreach (var entry in All)
        {
            if (entry.Name == argv[0])
                return entry;
        }
        return null;
    }
}
