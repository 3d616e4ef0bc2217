using System.Text.RegularExpressions;

namespace Eliloader.Install;

/// <summary>
/// How a VM's install began, kept in state-dir/installs/&lt;uuid&gt; when the install ends:
/// its install-distro (the VM loses it then) and the platform size keys as they were
/// before the hand-over to pygrub moved them. `eliloader restart` puts them back.
/// </summary>
public sealed partial record InstallRecord(string? InstallDistro, IReadOnlyDictionary<string, string> Platform)
{
    /// <summary>The platform keys the hand-over to pygrub changes.</summary>
    public static readonly string[] PlatformKeys =
        ["pv-kernel-max-size", "pv-ramdisk-max-size", "pv-postinstall-kernel-max-size", "pv-postinstall-ramdisk-max-size"];

    private const string DistroLine = "install-distro=";
    private const string PlatformLine = "platform:";

    public static string PathFor(string stateDir, string vmUuid) =>
        Uuid().IsMatch(vmUuid) ? System.IO.Path.Combine(stateDir, "installs", vmUuid) : throw new ArgumentException($"'{vmUuid}' is not a VM UUID");

    public void Save(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var lines = new List<string>();
        if (InstallDistro is not null)
            lines.Add(DistroLine + InstallDistro);
        lines.AddRange(Platform.Select(kv => $"{PlatformLine}{kv.Key}={kv.Value}"));
        var temporary = path + ".new";
        File.WriteAllLines(temporary, lines);
        File.Move(temporary, path, overwrite: true);
    }

    public static InstallRecord? Load(string path)
    {
        if (!File.Exists(path))
            return null;
        string? distro = null;
        var platform = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith(DistroLine, StringComparison.Ordinal))
                distro = line[DistroLine.Length..];
            else if (line.StartsWith(PlatformLine, StringComparison.Ordinal) && line.IndexOf('=') is var equals and > 0)
                platform[line[PlatformLine.Length..equals]] = line[(equals + 1)..];
        }
        return new InstallRecord(distro, platform);
    }

    [GeneratedRegex("^[0-9A-Za-z-]{1,64}$")]
    private static partial Regex Uuid();
}
