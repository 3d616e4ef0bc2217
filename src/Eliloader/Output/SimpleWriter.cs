using Eliloader.Errors;

namespace Eliloader.Output;

/// <summary>
/// The line format of callers from September 2016 on: "key value" lines for kernel,
/// ramdisk and args. The caller splits at the first space, so a value may hold
/// spaces but never a line break.
/// </summary>
public sealed class SimpleWriter : IBootConfigWriter
{
    public string Name => "simple";

    public string Write(BootConfig config)
    {
        var text = Line("kernel", config.Kernel);
        if (config.Ramdisk is not null)
            text += Line("ramdisk", config.Ramdisk);
        return text + Line("args", config.Args);
    }

    private static string Line(string key, string value) =>
        value.Any(c => c is '\n' or '\r' or '\0')
            ? throw new ApiError(ApiError.UnsupportedInstallMethod,
                $"The {key} value '{value}' contains a line break or NUL, which the simple boot format cannot carry.")
            : $"{key} {value}\n";
}
