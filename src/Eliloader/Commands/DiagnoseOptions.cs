using Eliloader.CommandLine;

namespace Eliloader.Commands;

/// <summary>
/// `eliloader diagnose --vm UUID [--image PATH]` or
/// `eliloader diagnose --other-config KEY=VALUE … [--image PATH]`.
/// </summary>
public sealed record DiagnoseOptions(string? VmUuid, IReadOnlyDictionary<string, string>? OtherConfig, string Image, bool Json, bool Fetch, bool Help)
{
    public const string Usage = """
        Usage: eliloader diagnose --vm <uuid> [--image <path>] [--fetch] [--json]
               eliloader diagnose --other-config <key>=<value> [--other-config …] [--image <path>] [--fetch] [--json]

        Everything a first boot would do, without changing the VM and without leaving a
        file: the caller's boot format and error dialect, each install key and whether
        it is a default, the repository, every file looked for, the sizes against the
        limits in force, the checksums the mirror publishes for them, what the image
        cache holds for them, whether a ramdisk fixup could apply, the boot line that
        would be printed and the VM changes that would follow. It stops at the first
        thing that would fail and names the error code the toolstack would see.
        --fetch downloads both files into a private directory under temp-dir (removed
        afterwards, the image cache untouched), checks them against the published
        checksums and tells whether a guest-installer map names the ramdisk.
        --image is the CD drive (or .iso) for a cdrom install; --json prints one JSON
        document ({"findings": [{"step", "detail"}…], "ok", "error": {"code", "parameters"}}).
        Exit status: 0 when a real boot would succeed, 1 when it would fail, 2 usage.
        """;

    public static DiagnoseOptions Parse(IReadOnlyList<string> args)
    {
        string? vm = null;
        string image = "";
        bool json = false, fetch = false;
        Dictionary<string, string>? otherConfig = null;
        var options = new OptionReader(args, "diagnose");
        while (options.Next())
        {
            switch (options.Current)
            {
                case "--help" or "-h":
                    return new DiagnoseOptions(null, null, "", Json: false, Fetch: false, Help: true);
                case "--vm":
                    vm = options.Value();
                    break;
                case "--json":
                    json = true;
                    break;
                case "--fetch":
                    fetch = true;
                    break;
                case "--image":
                    image = options.Value();
                    break;
                case "--other-config":
                    var pair = options.Value();
                    var equals = pair.IndexOf('=');
                    if (equals <= 0)
                        throw new UsageException($"--other-config takes key=value, not '{pair}'");
                    (otherConfig ??= new Dictionary<string, string>(StringComparer.Ordinal))[pair[..equals]] = pair[(equals + 1)..];
                    break;
                default:
                    throw options.Unknown();
            }
        }
        if ((vm is null) == (otherConfig is null))
            throw new UsageException("diagnose needs either --vm or --other-config");
        return new DiagnoseOptions(vm, otherConfig, image, json, fetch, Help: false);
    }
}
