using System.Globalization;
using Eliloader.Errors;

namespace Eliloader.Configuration;

/// <summary>
/// Reads /etc/eliloader.conf (or $ELILOADER_CONFIG): "key = value" lines and "#"
/// comments. A malformed line or an unknown key is an error naming the line; a
/// missing file at the default path means the defaults.
/// </summary>
public static class SettingsFile
{
    public const string DefaultPath = "/etc/eliloader.conf";
    public const string PathVariable = "ELILOADER_CONFIG";

    /// <summary>The longest timeout, a day: timers take at most 2^31 milliseconds, and no mirror or pygrub deserves more.</summary>
    private const int MaxSeconds = 86400;

    private delegate Settings Apply(Settings settings, string value);

    private static readonly Dictionary<string, Apply> Keys = new(StringComparer.Ordinal)
    {
        ["output-format"] = (s, v) => s with { OutputFormat = Choice(v, OutputFormatSetting.Auto, OutputFormatSetting.Sxp, OutputFormatSetting.Simple) },
        ["error-format"] = (s, v) => s with { ErrorFormat = Choice(v, ErrorFormatSetting.Auto, ErrorFormatSetting.RuntimeError, ErrorFormatSetting.CodeLines) },
        ["boot-dir"] = (s, v) => s with { BootDir = AbsolutePath(v) },
        ["xapi-socket"] = (s, v) => s with { XapiSocket = PathList(v) },
        ["xenstore-socket"] = (s, v) => s with { XenstoreSocket = PathList(v) },
        ["syslog-socket"] = (s, v) => s with { SyslogSocket = AbsolutePath(v) },
        ["pygrub"] = (s, v) => s with { Pygrub = AbsolutePath(v) },
        ["nfs-client"] = (s, v) => s with { NfsClient = Choice(v, NfsClientSetting.Builtin, NfsClientSetting.Mount) },
        ["pygrub-dir"] = (s, v) => s with { PygrubDir = AbsolutePath(v) },
        ["pygrub-timeout"] = (s, v) => s with { PygrubTimeout = PositiveInteger(v, MaxSeconds) },
        ["mount"] = (s, v) => s with { Mount = AbsolutePath(v) },
        ["umount"] = (s, v) => s with { Umount = AbsolutePath(v) },
        ["temp-dir"] = (s, v) => s with { TempDir = AbsolutePath(v) },
        ["state-dir"] = (s, v) => s with { StateDir = AbsolutePath(v) },
        ["guest-installer-dir"] = (s, v) => s with { GuestInstallerDir = AbsolutePath(v) },
        ["initrd-fixup"] = (s, v) => s with { InitrdFixup = Choice(v, InitrdFixupSetting.Rewrite, InitrdFixupSetting.Append) },
        ["patched-initrd-compression"] = (s, v) => s with { PatchedInitrdCompression = Choice(v, PatchedInitrdCompressionSetting.None, PatchedInitrdCompressionSetting.Gzip) },
        ["toolstack-binaries"] = (s, v) => s with { ToolstackBinaries = PathList(v) },
        ["ca-bundle"] = (s, v) => s with { CaBundle = PathList(v) },
        ["download-timeout"] = (s, v) => s with { DownloadTimeout = PositiveInteger(v, MaxSeconds) },
        ["download-min-rate"] = (s, v) => s with { DownloadMinRate = ByteCount(v) },
        ["cache-dir"] = (s, v) => s with { CacheDir = v.Length == 0 ? null : AbsolutePath(v) },
        ["cache-max-size"] = (s, v) => s with { CacheMaxSize = ByteCount(v) },
        ["cache-recheck-after"] = (s, v) => s with { CacheRecheckAfter = WholeNumber(v, 0, MaxSeconds) },
        ["signatures"] = (s, v) => s with { Signatures = Choice(v, SignaturesSetting.Verify, SignaturesSetting.Require, SignaturesSetting.Off) },
        ["keyring-dir"] = (s, v) => s with { KeyringDir = AbsolutePath(v) },
        ["sha1-signatures-before"] = (s, v) => s with { Sha1SignaturesBefore = DateOrNever(v) },
    };

    public static IEnumerable<string> KnownKeys => Keys.Keys;

    public static Settings Load()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable);
        if (string.IsNullOrEmpty(path))
            return File.Exists(DefaultPath) ? Parse(DefaultPath, Read(DefaultPath)) : new Settings();
        if (!File.Exists(path))
            throw Invalid(path, $"the configuration file named by {PathVariable} does not exist");
        return Parse(path, Read(path));
    }

    /// <summary>The file's lines; one that cannot be read (a person without the rights to it, say) is an error naming it.</summary>
    private static string[] Read(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, $"cannot be read: {e.Message}");
        }
    }

    public static Settings Parse(string path, IReadOnlyList<string> lines)
    {
        var settings = new Settings();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < lines.Count; index++)
        {
            var where = $"{path} line {index + 1}";
            var line = lines[index].Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            var equals = line.IndexOf('=');
            if (equals <= 0)
                throw Invalid(where, $"expected 'key = value', found '{line}'");
            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (!Keys.TryGetValue(key, out var apply))
                throw Invalid(where, $"unknown key '{key}' (known: {string.Join(", ", Keys.Keys)})");
            if (!seen.Add(key))
                throw Invalid(where, $"key '{key}' is set twice");
            try
            {
                settings = apply(settings, value);
            }
            catch (FormatException e)
            {
                throw Invalid(where, $"{key}: {e.Message}");
            }
        }
        return settings;
    }

    private static ApiError Invalid(string where, string what) =>
        new(ApiError.InternalError, $"Invalid configuration, {where}: {what}");

    private static T Choice<T>(string value, params T[] choices) where T : struct, Enum
    {
        foreach (var choice in choices)
        {
            if (KebabName(choice) == value)
                return choice;
        }
        throw new FormatException($"'{value}' is not one of {string.Join(", ", choices.Select(c => KebabName(c)))}");
    }

    private static string KebabName<T>(T value) where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string AbsolutePath(string value) =>
        value.StartsWith('/') ? value : throw new FormatException($"'{value}' is not an absolute path");

    private static IReadOnlyList<string> PathList(string value)
    {
        var paths = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (paths.Length == 0)
            throw new FormatException("at least one path is needed");
        return paths.Select(AbsolutePath).ToList();
    }

    /// <summary>A day (YYYY-MM-DD, midnight UTC), or "never".</summary>
    private static DateTime? DateOrNever(string value) =>
        value == "never" ? null
        : DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
            ? day
            : throw new FormatException($"'{value}' is neither a date (YYYY-MM-DD) nor 'never'");

    /// <summary>Bytes, or with a K, M, G or T suffix (powers of 1024).</summary>
    public static long ByteCount(string value)
    {
        var units = "KMGT".IndexOf(value.Length > 0 ? char.ToUpperInvariant(value[^1]) : ' ');
        var digits = units < 0 ? value : value[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= long.MaxValue >> (10 * (units + 1))
            ? number << (10 * (units + 1))
            : throw new FormatException($"'{value}' is not a size in bytes (a whole number, optionally followed by K, M, G or T)");
    }

    private static int PositiveInteger(string value, int max) => WholeNumber(value, 1, max);

    private static int WholeNumber(string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new FormatException($"'{value}' is not a whole number from {min} to {max}");
}
