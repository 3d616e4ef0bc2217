using System.Collections.Concurrent;
using System.Text;

namespace Eliloader.Tests.Support;

/// <summary>A file of a guest's filesystem: its text, the target of a symlink, or a copy of a file here.</summary>
public sealed record GuestFile(string Path, string? Text = null, string? LinkTo = null, string? CopyOf = null);

/// <summary>
/// One partition of a guest disk: its MBR type, and (unless it stays unformatted, as
/// an LVM or swap partition here) the mkfs that builds it and the files it holds.
/// </summary>
public sealed record GuestPartition(string Type, int SizeMiB, string? Mkfs, IReadOnlyList<GuestFile> Files);

/// <summary>
/// Installed guests' disks and an installer medium, as pygrub meets them, built at
/// test time with the real tools: `mkfs.ext2/3/4 -d` (no mount, no root needed for
/// the image itself), partitioned with sfdisk or formatted whole-disk, and an ISO by
/// xorriso. Kernels and ramdisks are small stand-ins whose bytes
/// <see cref="StandIn"/> gives, so a test can check what pygrub copied out. Each
/// image is built once per test run.
/// </summary>
public static class GuestDisks
{
    private static readonly string Directory = Path.Combine(Path.GetTempPath(), "eliloader-disks-" + Environment.ProcessId);
    private static readonly ConcurrentDictionary<string, Lazy<string>> Built = new();

    /// <summary>The bytes of the stand-in kernel or ramdisk called <paramref name="name"/>.</summary>
    public static byte[] StandIn(string name)
    {
        var text = new StringBuilder();
        while (text.Length < 3000 + name.Length * 17)
            text.Append($"stand-in {name} ");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>A kernel and its ramdisk, under their names on the guest's filesystem.</summary>
    public static GuestFile[] Pair(string directory, string kernel, string? ramdisk) =>
        new[] { kernel, ramdisk }.OfType<string>().Select(n => new GuestFile(directory + n, Encoding.ASCII.GetString(StandIn(n)))).ToArray();

    /// <summary>A whole disk holding one filesystem, no partition table.</summary>
    public static string WholeDisk(string name, string mkfs, params GuestFile[] files) =>
        Built.GetOrAdd(name, key => new Lazy<string>(() =>
        {
            var image = Image(key, 32);
            MakeFilesystem(key, image, mkfs, files, offsetBytes: null, sizeMiB: 32);
            return image;
        })).Value;

    /// <summary>An MBR-partitioned disk (the first partition marked bootable), as installers lay one out.</summary>
    public static string Partitioned(string name, params GuestPartition[] partitions) =>
        Built.GetOrAdd(name, key => new Lazy<string>(() =>
        {
            const int FirstSector = 2048;
            var image = Image(key, 1 + partitions.Sum(p => p.SizeMiB));
            var script = new StringBuilder("label: dos\n");
            var start = FirstSector;
            foreach (var (partition, index) in partitions.Select((p, i) => (p, i)))
            {
                script.Append($"start={start}, size={partition.SizeMiB * 2048}, type={partition.Type}{(index == 0 ? ", bootable" : "")}\n");
                start += partition.SizeMiB * 2048;
            }
            var layout = Path.Combine(Directory, key + ".sfdisk");
            File.WriteAllText(layout, script.ToString());
            Tool("bash", "-c", $"sfdisk -q '{image}' < '{layout}'");
            start = FirstSector;
            foreach (var (partition, index) in partitions.Select((p, i) => (p, i)))
            {
                if (partition.Mkfs is not null)
                    MakeFilesystem($"{key}-p{index + 1}", image, partition.Mkfs, partition.Files, (long)start * 512, partition.SizeMiB);
                start += partition.SizeMiB * 2048;
            }
            return image;
        })).Value;

    /// <summary>An ISO 9660 medium (Rock Ridge and Joliet) holding these files.</summary>
    public static string Iso(string name, params GuestFile[] files) =>
        Built.GetOrAdd(name, key => new Lazy<string>(() =>
        {
            var tree = Tree(key, files);
            var image = Path.Combine(Directory, key + ".iso");
            Tool("xorriso", "-report_about", "SORRY", "-outdev", image, "-rockridge", "on", "-joliet", "on", "-map", tree, "/");
            return image;
        })).Value;

    private static string Image(string name, int sizeMiB)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var image = Path.Combine(Directory, name + ".img");
        using (var file = File.Create(image))
            file.SetLength((long)sizeMiB << 20);
        return image;
    }

    private static void MakeFilesystem(string name, string image, string mkfs, IReadOnlyList<GuestFile> files, long? offsetBytes, int sizeMiB)
    {
        var tree = Tree(name, files);
        string[] offset = offsetBytes is { } bytes ? ["-E", $"offset={bytes}"] : [];
        Tool(mkfs, ["-q", "-F", .. offset, "-d", tree, image, $"{sizeMiB}M"]);
    }

    private static string Tree(string name, IReadOnlyList<GuestFile> files)
    {
        var tree = Path.Combine(Directory, "trees", name);
        System.IO.Directory.CreateDirectory(tree);
        foreach (var file in files)
        {
            var path = Path.Combine(tree, file.Path.TrimStart('/'));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (file.LinkTo is not null)
                File.CreateSymbolicLink(path, file.LinkTo);
            else if (file.CopyOf is not null)
                File.Copy(file.CopyOf, path);
            else
                File.WriteAllText(path, file.Text ?? "");
        }
        return tree;
    }

    private static void Tool(string program, params string[] args)
    {
        var result = ProcessRunner.Run(program, args);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(" ", args)}: {result.Stdout}{result.Stderr}");
    }
}
