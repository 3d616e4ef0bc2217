namespace Eliloader.Repositories;

/// <summary>
/// Walks a path below the root of a guest's tree one name at a time, following
/// symlinks, as the kernel would, but never out of the tree: "..", absolute symlinks
/// and symlinks that climb out mean the path is missing, so a guest's tree can never
/// reach dom0's or the server's other files. Shared by the mounted tree (names are
/// local paths) and the in-process NFS client (names are file handles).
/// </summary>
public static class TreeWalk
{
    private const int MaxSymlinkHops = 40;

    /// <param name="child">The entry a directory has under a name, or null when it has none.</param>
    /// <param name="linkTarget">A symlink's target; null for anything else.</param>
    /// <param name="refused">Says why a path was refused (for the log).</param>
    /// <param name="absoluteFromRoot">
    /// Absolute symlinks lead back to <paramref name="root"/> instead of being refused:
    /// for an export's own path in the server's namespace, which the user named.
    /// </param>
    /// <returns>Where the path leads, or null when it is missing or leaves the tree.</returns>
    public static T? Resolve<T>(T root, string path, Func<T, string, T?> child, Func<T, string?> linkTarget, Action<string> refused, bool absoluteFromRoot = false)
        where T : class
    {
        var pending = new List<string>(path.Split('/'));
        var chain = new List<T> { root };
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
                    return Refused("climbs out of the tree");
                chain.RemoveAt(chain.Count - 1);
                continue;
            }
            if (child(chain[^1], part) is not { } next)
                return null;
            if (linkTarget(next) is not { } target)
            {
                chain.Add(next);
                continue;
            }
            if (++hops > MaxSymlinkHops)
                return Refused("has too many symlinks");
            if (target.StartsWith('/'))
            {
                if (!absoluteFromRoot)
                    return Refused($"goes through the absolute symlink {part} -> {target}");
                chain.RemoveRange(1, chain.Count - 1);
            }
            pending.InsertRange(0, target.Split('/'));
        }
        return chain[^1];

        T? Refused(string why)
        {
            refused(why);
            return null;
        }
    }
}
