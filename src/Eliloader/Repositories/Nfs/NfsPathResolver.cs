using Eliloader.Formats.Nfs;

namespace Eliloader.Repositories.Nfs;

/// <summary>
/// Walks a path one LOOKUP at a time below a root directory, as the kernel does on a
/// mount, and resolves symlinks with READLINK. Below the root of a tree nothing leads
/// out: "..", absolute symlinks and symlinks that climb out mean the path is missing,
/// so a guest's export can never reach the server's other files through eliloader.
/// Lookups are remembered for the run: the families' probes look in the same
/// directories over and over.
/// </summary>
public sealed class NfsPathResolver(INfsClient client, Action<string> log)
{
    private const int MaxSymlinkHops = 40;
    private readonly Dictionary<(string Directory, string Name), NfsNode?> looked = [];

    /// <param name="absoluteFromRoot">
    /// Absolute symlinks lead back to <paramref name="root"/> instead of being refused:
    /// for the export's own path in the server's namespace, which the user named.
    /// </param>
    /// <returns>The node, or null when the path is missing or leads out of the tree.</returns>
    public NfsNode? Resolve(NfsNode root, string path, string describedAs, bool absoluteFromRoot = false)
    {
        var pending = new List<string>(path.Split('/'));
        var chain = new List<NfsNode> { root };
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending[0];
            pending.RemoveAt(0);
            if (part is "" or ".")
                continue;
            if (part == "..")
            {
                if (chain.Count == 1)
                    return Refused(describedAs, "climbs out of the tree");
                chain.RemoveAt(chain.Count - 1);
                continue;
            }
            if (chain[^1].Attributes.Type != NfsFileType.Directory || Lookup(chain[^1], part) is not { } next)
                return null;
            if (next.Attributes.Type != NfsFileType.Symlink)
            {
                chain.Add(next);
                continue;
            }
            if (++hops > MaxSymlinkHops)
                return Refused(describedAs, "has too many symlinks");
            var target = client.ReadLink(next);
            if (target.StartsWith('/'))
            {
                if (!absoluteFromRoot)
                    return Refused(describedAs, $"goes through the absolute symlink {part} -> {target}");
                chain.RemoveRange(1, chain.Count - 1);
            }
            pending.InsertRange(0, target.Split('/'));
        }
        return chain[^1];
    }

    private NfsNode? Lookup(NfsNode directory, string name)
    {
        var key = (Convert.ToHexString(directory.Handle), name);
        if (!looked.TryGetValue(key, out var node))
            looked[key] = node = client.Lookup(directory, name);
        return node;
    }

    private NfsNode? Refused(string describedAs, string why)
    {
        log($"{describedAs} {why}; treated as missing");
        return null;
    }
}
