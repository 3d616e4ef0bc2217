using Eliloader.Faults.Harness;

namespace Eliloader.Faults.Inputs;

/// <summary>The reference tools (gzip, xz, bzip2, zstd, lzma) applied to bytes a case made.</summary>
public static class Tools
{
    /// <summary>The output of a shell command given these bytes on stdin.</summary>
    public static byte[] Pipe(byte[] input, string command)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "fault-pipe-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllBytes(scratch, input);
        try
        {
            Shell.Run($"{command} < {scratch} > {scratch}.out");
            return File.ReadAllBytes(scratch + ".out");
        }
        finally
        {
            File.Delete(scratch);
            File.Delete(scratch + ".out");
        }
    }

    public static byte[] Gzip(byte[] input) => Pipe(input, "gzip -9n");

    /// <summary>A file written by a shell script, which finds its path in $OUT.</summary>
    public static Action<string> Script(string script) => path => Shell.Run($"OUT='{path}'\n{script}");

    /// <summary>A file of bytes made when the case runs (not when the suite is listed).</summary>
    public static Action<string> Bytes(Func<byte[]> make) => path => File.WriteAllBytes(path, make());
}
