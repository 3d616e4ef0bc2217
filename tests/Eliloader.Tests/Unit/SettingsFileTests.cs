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
    [InlineData("download-timeout = -1", "conf line 2: download-timeout: '-1' is not a positive whole number")]
    [InlineData("syslog-socket = /x", "conf line 2: key 'syslog-socket' is set twice")]
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
}
