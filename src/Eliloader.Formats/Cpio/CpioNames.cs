namespace Eliloader.Formats.Cpio;

/// <summary>
/// Member names as the kernel unpacks them: "./bin/sh" and "bin/sh" are one file.
/// A name that is absolute, climbs with "..", or has empty components is refused;
/// eliloader never writes a member to disk, but it must not let a hostile archive
/// hide a file from the overlay under another spelling.
/// </summary>
public static class CpioNames
{
    public static string Normalize(string name)
    {
        var trimmed = name;
        while (trimmed.StartsWith("./", StringComparison.Ordinal))
            trimmed = trimmed[2..];
        if (trimmed is "" or ".")
            return ".";
        if (trimmed.StartsWith('/'))
            throw new InvalidDataException($"cpio member '{name}' has an absolute name");
        foreach (var part in trimmed.Split('/'))
        {
            if (part.Length == 0)
                throw new InvalidDataException($"cpio member '{name}' has an empty path component");
            if (part is ".." or ".")
                throw new InvalidDataException($"cpio member '{name}' has a '{part}' path component");
        }
        return trimmed;
    }
}
