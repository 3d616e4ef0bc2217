using System.Text.RegularExpressions;

namespace Eliloader.Tests.Support;

/// <summary>Checks on what a first boot printed and left in the boot directory.</summary>
public static partial class BootLine
{
    [GeneratedRegex(@"^linux \(kernel (?<kernel>/[^)]+/vmlinuz-[A-Za-z0-9]{6})\)(\(ramdisk (?<ramdisk>/[^)]+/ramdisk-[A-Za-z0-9]{6})\))?\(args ""(?<args>.*)""\)\n$")]
    private static partial Regex SxpLine();

    /// <summary>The kernel, ramdisk (null when absent) and args of an SXP line whose files sit directly in the boot directory.</summary>
    public static (string Kernel, string? Ramdisk, string Args) ParseSxp(Scenario host, string stdout)
    {
        var match = SxpLine().Match(stdout);
        Assert.True(match.Success, $"not the SXP boot line: '{stdout}'");
        var ramdisk = match.Groups["ramdisk"].Success ? match.Groups["ramdisk"].Value : null;
        Assert.Equal(host.BootDir, Path.GetDirectoryName(match.Groups["kernel"].Value));
        if (ramdisk is not null)
            Assert.Equal(host.BootDir, Path.GetDirectoryName(ramdisk));
        return (match.Groups["kernel"].Value, ramdisk, match.Groups["args"].Value);
    }

    /// <summary>The boot directory holds exactly the handed-out files, byte for byte the mirror's.</summary>
    public static void AssertFiles(Scenario host, string kernel, string? ramdisk, string mirrorKernel, string? mirrorRamdisk)
    {
        Assert.Equal(File.ReadAllBytes(mirrorKernel), File.ReadAllBytes(kernel));
        if (ramdisk is not null)
            Assert.Equal(File.ReadAllBytes(mirrorRamdisk!), File.ReadAllBytes(ramdisk));
        Assert.Equal(new[] { kernel, ramdisk }.OfType<string>().Order(), host.BootFiles());
    }
}
