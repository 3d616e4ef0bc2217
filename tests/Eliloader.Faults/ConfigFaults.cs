using Eliloader.Faults.Harness;
using Eliloader.Faults.Servers;

namespace Eliloader.Faults;

/// <summary>
/// A broken /etc/eliloader.conf or guest-installer map: each is an error naming the
/// file and line, never a crash, and a boot that would otherwise work leaves nothing.
/// </summary>
[Collection(FaultSuite.Collection)]
public sealed class ConfigFaults(FaultSuite suite) : FaultCategory(suite)
{
    internal const string Invalid = "Invalid configuration, {config} line ";

    /// <summary>A boot from a good mirror, with the configuration changed by the case.</summary>
    internal static FaultCase Configured(string name, Expected expected, Action<FaultHost> change, params string[] argv) =>
        new(name, expected, host =>
        {
            var mirror = host.Own(HostileHttpServer.Good());
            host.NetworkVm(mirror.Url);
            change(host);
            if (argv.Length == 0)
                host.Boot();
            else
                host.Run(argv);
        });

    private static FaultCase Line(string name, string line, string message) =>
        Configured(name, Expected.Error("INTERNAL_ERROR", Invalid + "…" + message), host => host.RawConfig.Add(line));

    private static FaultCase Key(string name, string key, string value, string message) =>
        Configured(name, Expected.Error("INTERNAL_ERROR", Invalid + "…" + message), host => host.Config[key] = value);

    /// <summary>A guest-installer map with this line, beside a boot that fetches a ramdisk.</summary>
    private static FaultCase Map(string name, string line, string message) =>
        Configured(name, Expected.Error("INTERNAL_ERROR", "Invalid guest-installer map, {dir}/guest-installer/site.map line 1: " + message),
            host => File.WriteAllText(Path.Combine(host.GuestInstallerDir, "site.map"), line + "\n"));

    private static readonly FaultCase[] Cases =
    [
        Line("unknown key", "colour = blue", "unknown key 'colour'"),
        Line("line without '='", "boot-dir /tmp", "expected 'key = value', found 'boot-dir /tmp'"),
        Line("key set twice", "download-timeout = 5", "key 'download-timeout' is set twice"),
        Line("line of NUL bytes", "\0\0\0\0", "expected 'key = value'"),
        Line("empty key", "= value", "expected 'key = value'"),
        Line("a 100 KB line", "x" + new string('y', 100_000), "expected 'key = value'"),
        Key("relative boot-dir", "boot-dir", "var/run/xend/boot", "'var/run/xend/boot' is not an absolute path"),
        Key("download-timeout 0", "download-timeout", "0", "'0' is not a whole number from 1 to 86400"),
        Key("download-timeout -1", "download-timeout", "-1", "'-1' is not a whole number from 1 to 86400"),
        Key("download-timeout past 32 bits", "download-timeout", "99999999999", "'99999999999' is not a whole number from 1 to 86400"),
        Key("cache-max-size 5X", "cache-max-size", "5X", "'5X' is not a size in bytes"),
        Key("cache-max-size past 64 bits", "cache-max-size", "99999999999T", "'99999999999T' is not a size in bytes"),
        Key("output-format xml", "output-format", "xml", "'xml' is not one of auto, sxp, simple"),
        Key("empty xapi-socket", "xapi-socket", "", "at least one path is needed"),
        Configured("ELILOADER_CONFIG names no file", Expected.Error("INTERNAL_ERROR", "Invalid configuration, {dir}/none.conf: "),
            host => host.ConfigPath = Path.Combine(host.Dir, "none.conf")),
        Configured("ELILOADER_CONFIG names a directory", Expected.Error("INTERNAL_ERROR", "Invalid configuration, {dir}/bin: "), host => host.ConfigPath = host.Bin),
        new("unreadable by the user who runs it", Expected.Error("INTERNAL_ERROR", "{config}"), host =>
        {
            host.ConfigPath += ".private";
            host.Tokens["config"] = host.ConfigPath;
            File.WriteAllText(host.ConfigPath, "boot-dir = /tmp\n");
            File.SetUnixFileMode(host.ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            host.Finish(host.StartAs("65534", "-q", "--vm", Eliloader.Tests.Support.Scenario.VmUuid, ""));
        }),
        Configured("--version with a broken configuration", Expected.Completes(), host => host.RawConfig.Add("colour = blue"), "--version"),
        Configured("--help with a broken configuration", Expected.Completes(), host => host.RawConfig.Add("colour = blue"), "--help"),
        Configured("an error in the code-lines dialect the configuration chose",
            Expected.Error("UNSUPPORTED_INSTALL_METHOD", "Distribution 'gentoolike' is not supported.").InCodeLines(), host =>
            {
                host.Config["error-format"] = "code-lines";
                host.Scenario.State.Vms[0].OtherConfig["install-distro"] = "gentoolike";
            }),
        Map("map line with two fields", "0123456789abcdef0123456789abcdef cpio", "missing field"),
        Map("map line of another type", "0123456789abcdef0123456789abcdef squashfs x.img Some distro", "incorrect initrd type 'squashfs'"),
        Map("map overlay climbing out", "0123456789abcdef0123456789abcdef cpio ../../etc/shadow Some distro", "overlay '../../etc/shadow' must be a file name in"),
    ];
}
