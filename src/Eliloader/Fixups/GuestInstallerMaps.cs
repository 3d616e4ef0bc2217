using Eliloader.Errors;

namespace Eliloader.Fixups;

public enum FixupKind
{
    Cpio,
    Ext2,
}

/// <summary>One map line: a vendor ramdisk's MD5 and the overlay that patches it.</summary>
public sealed record RamdiskFixup(string Md5, FixupKind Kind, string Overlay, string Distro, string Source);

/// <summary>
/// The guest-installer map files (every *.map of the directory, docs/protocol.md section 8):
/// "&lt;md5&gt; &lt;cpio|ext2&gt; &lt;overlay&gt; &lt;distro text&gt;" per line, "#" comments.
/// A short line, another type or an overlay name with a "/" is an error naming the
/// file and line. A missing directory means no fixups.
/// </summary>
public sealed class GuestInstallerMaps
{
    private readonly Dictionary<string, RamdiskFixup> byMd5;

    private GuestInstallerMaps(Dictionary<string, RamdiskFixup> byMd5) => this.byMd5 = byMd5;

    public int Count => byMd5.Count;

    public RamdiskFixup? For(string md5) => byMd5.GetValueOrDefault(md5);

    public static GuestInstallerMaps Load(string directory)
    {
        var fixups = new Dictionary<string, RamdiskFixup>(StringComparer.OrdinalIgnoreCase);
        if (!Directory.Exists(directory))
            return new GuestInstallerMaps(fixups);
        foreach (var file in Directory.GetFiles(directory, "*.map").Order(StringComparer.Ordinal))
        {
            var number = 0;
            foreach (var raw in File.ReadLines(file))
            {
                number++;
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#')
                    continue;
                var fields = line.Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries);
                var where = $"{file} line {number}";
                if (fields.Length < 4)
                    throw Invalid(where, "missing field");
                var kind = fields[1] switch
                {
                    "cpio" => FixupKind.Cpio,
                    "ext2" => FixupKind.Ext2,
                    _ => throw Invalid(where, $"incorrect initrd type '{fields[1]}': must be cpio or ext2"),
                };
                if (fields[2].Contains('/') || fields[2] is "." or "..")
                    throw Invalid(where, $"overlay '{fields[2]}' must be a file name in {directory}");
                fixups[fields[0]] = new RamdiskFixup(fields[0], kind, fields[2], fields[3], where);
            }
        }
        return new GuestInstallerMaps(fixups);
    }

    private static ApiError Invalid(string where, string what) => new(ApiError.InternalError, $"Invalid guest-installer map, {where}: {what}");
}
