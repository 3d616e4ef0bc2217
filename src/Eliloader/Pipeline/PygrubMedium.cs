using Eliloader.Boot;
using Eliloader.Errors;
using Eliloader.Xen.Pygrub;

namespace Eliloader.Pipeline;

/// <summary>
/// The pygrub family's CD install: pygrub extracts the installer from the medium in
/// the VM's drive, and its kernel and ramdisk are handed on; its args are not, since
/// they come from the guest's medium. Its output is read strictly (simple format):
/// unknown or repeated keys, lines without a space and a missing kernel are refused.
/// </summary>
public sealed class PygrubMedium(PygrubRunner pygrub, RunCleanup cleanup, Action<string> log)
{
    private static readonly HashSet<string> Keys = ["kernel", "ramdisk", "args"];

    public (string Kernel, string? Ramdisk) BootFiles(IReadOnlyList<string> callerArgv, Limits limits)
    {
        var result = pygrub.RunExactly([PygrubRunner.SimpleFormatOption, .. callerArgv]);
        if (result.ExitCode != 0)
            throw PygrubRunner.Failed(result);
        var values = Parse(result.Stdout);
        foreach (var file in new[] { values.GetValueOrDefault("kernel"), values.GetValueOrDefault("ramdisk") }.OfType<string>())
            cleanup.Register($"removed {file}", () => File.Delete(file));
        var kernel = values.GetValueOrDefault("kernel") ?? throw new ApiError(ApiError.InvalidSource, "pygrub found no kernel on the medium.");
        var ramdisk = values.GetValueOrDefault("ramdisk");
        WithinLimit(kernel, limits.Kernel);
        if (ramdisk is not null)
            WithinLimit(ramdisk, limits.Ramdisk);
        log($"pygrub extracted kernel {kernel}, ramdisk {ramdisk ?? "none"}");
        return (kernel, ramdisk);
    }

    private static Dictionary<string, string> Parse(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            if (line.Length == 0)
                continue;
            var space = line.IndexOf(' ');
            if (space < 0)
                throw new ApiError(ApiError.InvalidSource, $"pygrub printed a line without a value: '{Shorten(line)}'.");
            var key = line[..space];
            if (!Keys.Contains(key))
                throw new ApiError(ApiError.InvalidSource, $"pygrub printed an unknown key: '{Shorten(line)}'.");
            if (!values.TryAdd(key, line[(space + 1)..]))
                throw new ApiError(ApiError.InvalidSource, $"pygrub printed '{key}' twice.");
        }
        foreach (var key in new[] { "kernel", "ramdisk" })
        {
            if (values.TryGetValue(key, out var path) && (!path.StartsWith('/') || path.Split('/').Contains("..")))
                throw new ApiError(ApiError.InvalidSource, $"pygrub named the {key} '{Shorten(path)}', which is not an absolute path.");
        }
        return values;
    }

    private static void WithinLimit(string path, long limit)
    {
        var length = new FileInfo(path).Length;
        if (length > limit)
            throw Limits.Exceeded(path, limit);
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
