using Eliloader.Formats.Nfs;

namespace Eliloader.Repositories.Nfs;

/// <summary>
/// Resolves paths on the server one LOOKUP at a time, with READLINK for symlinks, held
/// inside the tree as <see cref="TreeWalk"/> holds every guest tree. Lookups are
/// remembered for the run: the families' probes look in the same directories over and over.
/// </summary>
public sealed class NfsPathResolver(INfsClient client, Action<string> log)
{
    private readonly Dictionary<(string Directory, string Name), NfsNode?> looked = [];

    /// <param name="absoluteFromRoot">Absolute symlinks lead back to <paramref name="root"/> (for the export's own path).</param>
    /// <returns>The node, or null when the path is missing or leads out of the tree.</returns>
    public NfsNode? Resolve(NfsNode root, string path, string describedAs, bool absoluteFromRoot = false) =>
        TreeWalk.Resolve(root, path, Lookup,
            node => node.Attributes.Type == NfsFileType.Symlink ? client.ReadLink(node) : null,
            why => log($"{describedAs} {why}; treated as missing"), absoluteFromRoot);

    /// <summary>A directory's entry; nothing is found inside anything but a directory.</summary>
    private NfsNode? Lookup(NfsNode directory, string name)
    {
        if (directory.Attributes.Type != NfsFileType.Directory)
            return null;
        var key = (Convert.ToHexString(directory.Handle), name);
        if (!looked.TryGetValue(key, out var node))
            looked[key] = node = client.Lookup(directory, name);
        return node;
    }
}
