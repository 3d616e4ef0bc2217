namespace Eliloader.Tests.Support;

/// <summary>Where the tests find the published binary and the fixtures.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The static binary `make publish` writes; the integration tests run it as XAPI would.</summary>
    public static string Binary => Environment.GetEnvironmentVariable("ELILOADER_BIN") is { Length: > 0 } bin
        ? bin
        : Path.Combine(Root, "dist", "eliloader");

    public static string Mirrors => Path.Combine(Root, "fixtures", "mirrors");

    /// <summary>The real Debian 12 tree `make fixtures` lays out from the apt package.</summary>
    public static string Debian12Mirror => Path.Combine(Root, ".cache", "mirrors", "debian12");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Eliloader.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Eliloader.sln not found above " + AppContext.BaseDirectory);
    }
}
