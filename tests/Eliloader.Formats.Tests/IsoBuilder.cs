using System.Diagnostics;

namespace Eliloader.Formats.Tests;

/// <summary>Makes ISO images at test time with xorriso, the reference tool, from a directory tree.</summary>
public sealed class IsoBuilder : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "iso-" + Guid.NewGuid().ToString("N")[..8]);
    public string Source => Path.Combine(Directory, "src");

    public IsoBuilder() => System.IO.Directory.CreateDirectory(Source);

    public IsoBuilder File(string path, string content)
    {
        var full = Path.Combine(Source, path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, content);
        return this;
    }

    public IsoBuilder Symlink(string path, string target)
    {
        var full = Path.Combine(Source, path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        System.IO.File.CreateSymbolicLink(full, target);
        return this;
    }

    /// <summary>Writes the image with the given name extensions and returns its path.</summary>
    public string Build(bool rockRidge, bool joliet, string name = "image.iso")
    {
        var output = Path.Combine(Directory, name);
        var start = new ProcessStartInfo("xorriso", ["-report_about", "SORRY", "-outdev", output,
            "-rockridge", rockRidge ? "on" : "off", "-joliet", joliet ? "on" : "off", "-map", Source, "/"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException("xorriso failed: " + errors.Result);
        return output;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
