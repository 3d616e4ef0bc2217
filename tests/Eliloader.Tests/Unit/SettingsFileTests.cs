using Eliloader.Configuration;
using Eliloader.Errors;

namespace Eliloader.Tests.Unit;

public sealed class SettingsFileTests
{
    [Fact]
    public void Defaults_are_the_dom0_paths()
    {
        var settings = SettingsFile.Parse("x", []);
        Assert.Equal("/var/run/xend/boot", settings.BootDir);
        Assert.Equal(["/var/lib/xcp/xapi", "/var/xapi/xapi"], settings.XapiSocket);
        Assert.Equal(OutputFormatSetting.Auto, settings.OutputFormat);
        Assert.Equal(ErrorFormatSetting.Auto, settings.ErrorFormat);
        Assert.Equal("/dev/log", settings.SyslogSocket);
        Assert.Equal(60, settings.DownloadTimeout);
        Assert.Equal(NfsClientSetting.Builtin, settings.NfsClient);
        Assert.Equal(1024, settings.DownloadMinRate);
    }

    [Theory]
    [InlineData("builtin", NfsClientSetting.Builtin)]
    [InlineData("mount", NfsClientSetting.Mount)]
    public void Nfs_client_is_builtin_or_mount(string value, NfsClientSetting expected) =>
        Assert.Equal(expected, SettingsFile.Parse("conf", [$"nfs-client = {value}"]).NfsClient);

    [Fact]
    public void Nfs_client_refuses_anything_else()
    {
        var e = Assert.Throws<ApiError>(() => SettingsFile.Parse("conf", ["nfs-client = kernel"]));
        Assert.Equal("Invalid configuration, conf line 1: nfs-client: 'kernel' is not one of builtin, mount", e.Parameters[0]);
    }

    [Theory]
    [InlineData("download-min-rate = 2K", 2048)]
    [InlineData("download-min-rate = 0", 0)]
    public void Download_min_rate_takes_bytes_per_second(string line, long expected) =>
        Assert.Equal(expected, SettingsFile.Parse("conf", [line]).DownloadMinRate);

    [Theory]
    [InlineData("download-timeout = 86400", null)]
    [InlineData("download-timeout = 86401", "'86401' is not a whole number from 1 to 86400")]
    [InlineData("download-timeout = 0", "'0' is not a whole number from 1 to 86400")]
    [InlineData("download-min-rate = -1", "'-1' is not a size in bytes")]
    public void Download_bounds_are_checked(string line, string? problem)
    {
        if (problem is null)
        {
            Assert.Equal(86400, SettingsFile.Parse("conf", [line]).DownloadTimeout);
            return;
        }
        var error = Assert.Throws<ApiError>(() => SettingsFile.Parse("conf", [line]));
        Assert.Contains(problem, error.Parameters[0]);
    }

    [Fact]
    public void Reads_every_key()
    {
        var settings = SettingsFile.Parse("conf",
        [
            "# comment",
            "",
            "output-format = simple",
            "error-format=code-lines",
            "boot-dir = /tmp/boot",
            "xapi-socket = /a /b",
            "xenstore-socket = /c",
            "syslog-socket = /d",
            "toolstack-binaries = /e /f",
            "ca-bundle = /g",
            "download-timeout = 5",
        ]);
        Assert.Equal(OutputFormatSetting.Simple, settings.OutputFormat);
        Assert.Equal(ErrorFormatSetting.CodeLines, settings.ErrorFormat);
        Assert.Equal("/tmp/boot", settings.BootDir);
        Assert.Equal(["/a", "/b"], settings.XapiSocket);
        Assert.Equal(["/c"], settings.XenstoreSocket);
        Assert.Equal("/d", settings.SyslogSocket);
        Assert.Equal(["/e", "/f"], settings.ToolstackBinaries);
        Assert.Equal(["/g"], settings.CaBundle);
        Assert.Equal(5, settings.DownloadTimeout);
    }

    [Theory]
    [InlineData("no equals sign here", "conf line 2: expected 'key = value', found 'no equals sign here'")]
    [InlineData("frobnicate = 1", "conf line 2: unknown key 'frobnicate'")]
    [InlineData("output-format = xml", "conf line 2: output-format: 'xml' is not one of auto, sxp, simple")]
    [InlineData("boot-dir = relative/dir", "conf line 2: boot-dir: 'relative/dir' is not an absolute path")]
    [InlineData("download-timeout = -1", "conf line 2: download-timeout: '-1' is not a whole number from 1 to 86400")]
    [InlineData("syslog-socket = /x", "conf line 2: key 'syslog-socket' is set twice")]
    [InlineData("cache-max-size = lots", "conf line 2: cache-max-size: 'lots' is not a size in bytes")]
    [InlineData("cache-max-size = 9999999999T", "conf line 2: cache-max-size: '9999999999T' is not a size in bytes")]
    [InlineData("cache-dir = var/cache", "conf line 2: cache-dir: 'var/cache' is not an absolute path")]
    [InlineData("cache-recheck-after = -1", "conf line 2: cache-recheck-after: '-1' is not a whole number from 0 to 86400")]
    public void Names_the_bad_line(string line, string message)
    {
        var error = Assert.Throws<ApiError>(() => SettingsFile.Parse("conf", ["syslog-socket = /dev/log", line]));
        Assert.Equal(ApiError.InternalError, error.Code);
        Assert.Contains(message, error.Parameters[0]);
    }

    [Fact]
    public void The_packaged_file_is_valid_and_all_defaults()
    {
        var packaged = Path.Combine(Support.RepoPaths.Root, "packaging", "eliloader.conf");
        var lines = File.ReadAllLines(packaged);
        Assert.Equal(new Settings().BootDir, SettingsFile.Parse(packaged, lines).BootDir);
        // Every key is documented in it, commented out.
        foreach (var key in SettingsFile.KnownKeys)
            Assert.Contains(lines, l => l.StartsWith($"# {key} = ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_man_page_covers_every_command_and_key()
    {
        var page = File.ReadAllText(Path.Combine(Support.RepoPaths.Root, "packaging", "eliloader.1")).Replace("\\-", "-");
        foreach (var command in new[] { "diagnose", "restart", "prefetch", "cache", "keys list" })
            Assert.Contains($".B eliloader {command}", page);
        foreach (var key in SettingsFile.KnownKeys)
            Assert.Contains(key, page);
    }

    [Theory]
    [InlineData("100", 100L)]
    [InlineData("512K", 512L << 10)]
    [InlineData("3M", 3L << 20)]
    [InlineData("2g", 2L << 30)]
    [InlineData("1T", 1L << 40)]
    public void Cache_max_size_takes_binary_suffixes(string value, long bytes) =>
        Assert.Equal(bytes, SettingsFile.Parse("conf", [$"cache-max-size = {value}"]).CacheMaxSize);

    [Fact]
    public void Cache_recheck_after_is_five_seconds_and_may_be_zero()
    {
        Assert.Equal(5, new Settings().CacheRecheckAfter);
        Assert.Equal(0, SettingsFile.Parse("conf", ["cache-recheck-after = 0"]).CacheRecheckAfter);
    }

    [Fact]
    public void Signature_keys_have_safe_defaults_and_are_read()
    {
        var defaults = new Settings();
        Assert.Equal(SignaturesSetting.Verify, defaults.Signatures);
        Assert.Equal("/etc/eliloader/keyrings", defaults.KeyringDir);
        Assert.Equal(new DateTime(2017, 1, 1, 0, 0, 0, DateTimeKind.Utc), defaults.Sha1SignaturesBefore);
        var settings = SettingsFile.Parse("conf", ["signatures = require", "keyring-dir = /k", "sha1-signatures-before = 2012-03-04"]);
        Assert.Equal(SignaturesSetting.Require, settings.Signatures);
        Assert.Equal("/k", settings.KeyringDir);
        Assert.Equal(new DateTime(2012, 3, 4, 0, 0, 0, DateTimeKind.Utc), settings.Sha1SignaturesBefore);
        Assert.Equal(DateTimeKind.Utc, settings.Sha1SignaturesBefore?.Kind);
        Assert.Null(SettingsFile.Parse("conf", ["sha1-signatures-before = never"]).Sha1SignaturesBefore);
        Assert.Equal(SignaturesSetting.Off, SettingsFile.Parse("conf", ["signatures = off"]).Signatures);
    }

    [Theory]
    [InlineData("signatures = maybe", "signatures: 'maybe' is not one of verify, require, off")]
    [InlineData("keyring-dir = keys", "keyring-dir: 'keys' is not an absolute path")]
    [InlineData("sha1-signatures-before = 2017", "sha1-signatures-before: '2017' is neither a date (YYYY-MM-DD) nor 'never'")]
    public void Signature_keys_name_a_bad_value(string line, string message) =>
        Assert.Contains(message, Assert.Throws<ApiError>(() => SettingsFile.Parse("conf", [line])).Parameters[0]);

    [Fact]
    public void An_empty_cache_dir_turns_the_cache_off()
    {
        Assert.Equal("/var/cache/eliloader", new Settings().CacheDir);
        Assert.Null(SettingsFile.Parse("conf", ["cache-dir ="]).CacheDir);
    }
}
