namespace Eliloader.Formats.Iso9660;

/// <summary>
/// The work one path lookup may do on a hostile image: components walked (symlink
/// targets included), symlinks followed, and bytes of directories and Rock Ridge
/// continuation areas read. Each bound is far above what a real medium needs, and
/// exceeding one is an InvalidDataException naming it and the path.
/// </summary>
internal sealed class LookupBudget(string path)
{
    /// <summary>Components walked: a path of 64 and a few short symlinks need dozens.</summary>
    public const int MaxSteps = 4096;

    /// <summary>As Linux allows (MAXSYMLINKS is 40).</summary>
    public const int MaxSymlinkHops = 32;

    /// <summary>Two directories at their size bound; a real lookup reads a few kilobytes.</summary>
    public const long MaxBytes = 8 << 20;

    private int steps;
    private int hops;
    private long bytes;

    public string Path => path;

    public void Step()
    {
        if (++steps > MaxSteps)
            throw new InvalidDataException($"path '{path}' takes more than {MaxSteps} steps through directories and symlinks");
    }

    public void Hop()
    {
        if (++hops > MaxSymlinkHops)
            throw new InvalidDataException($"path '{path}' goes through more than {MaxSymlinkHops} symlinks");
    }

    public void Read(long count)
    {
        bytes += count;
        if (bytes > MaxBytes)
            throw new InvalidDataException($"looking up '{path}' reads more than {MaxBytes} bytes of directories");
    }
}
