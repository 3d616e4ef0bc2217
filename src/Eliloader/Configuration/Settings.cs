namespace Eliloader.Configuration;

public enum OutputFormatSetting
{
    Auto,
    Sxp,
    Simple,
}

public enum InitrdFixupSetting
{
    /// <summary>Rewrite the vendor archive with the overlay's members in place, as the Python loader did.</summary>
    Rewrite,

    /// <summary>Keep the vendor bytes and append the overlay archive, for kernels that unpack concatenated archives.</summary>
    Append,
}

public enum PatchedInitrdCompressionSetting
{
    None,
    Gzip,
}

public enum NfsClientSetting
{
    /// <summary>NFSv4.0, then NFSv3, read in process: no mount, every call bounded by download-timeout.</summary>
    Builtin,

    /// <summary>The kernel's client through the mount and umount commands, as the Python loader did.</summary>
    Mount,
}

public enum SignaturesSetting
{
    /// <summary>A signature a tree publishes is checked and must hold; an unsigned tree installs with a warning.</summary>
    Verify,

    /// <summary>Only trees whose signature chain reaches the boot files install.</summary>
    Require,

    /// <summary>No signature is looked for; published checksums are still checked.</summary>
    Off,
}

public enum ErrorFormatSetting
{
    Auto,
    RuntimeError,
    CodeLines,
}

/// <summary>
/// Everything /etc/eliloader.conf controls. Every path the program touches is here,
/// so tests and the demo run unprivileged against temporary directories.
/// </summary>
public sealed record Settings
{
    public OutputFormatSetting OutputFormat { get; init; } = OutputFormatSetting.Auto;
    public ErrorFormatSetting ErrorFormat { get; init; } = ErrorFormatSetting.Auto;
    public string BootDir { get; init; } = "/var/run/xend/boot";
    public IReadOnlyList<string> XapiSocket { get; init; } = ["/var/lib/xcp/xapi", "/var/xapi/xapi"];
    public IReadOnlyList<string> XenstoreSocket { get; init; } = DefaultXenstoreSockets();
    public const string DefaultSyslogSocket = "/dev/log";

    public string SyslogSocket { get; init; } = DefaultSyslogSocket;
    public string Pygrub { get; init; } = "/usr/bin/pygrub";
    public NfsClientSetting NfsClient { get; init; } = NfsClientSetting.Builtin;

    /// <summary>Where pygrub writes the kernel and ramdisk it extracts (its --output-directory default).</summary>
    public string PygrubDir { get; init; } = "/var/run/xen/pygrub";

    /// <summary>Seconds one pygrub run may take, from its start to the end of its output.</summary>
    public int PygrubTimeout { get; init; } = 300;
    public string Mount { get; init; } = "/bin/mount";
    public string Umount { get; init; } = "/bin/umount";

    /// <summary>Where the guest-installer map files and overlay archives live; missing means no fixups.</summary>
    public string GuestInstallerDir { get; init; } = "/opt/xensource/packages/files/guest-installer";
    public InitrdFixupSetting InitrdFixup { get; init; } = InitrdFixupSetting.Rewrite;
    public PatchedInitrdCompressionSetting PatchedInitrdCompression { get; init; } = PatchedInitrdCompressionSetting.None;

    /// <summary>Where eliloader remembers how each VM's install began, for `eliloader restart`.</summary>
    public string StateDir { get; init; } = "/var/lib/eliloader";

    /// <summary>Where NFS exports are mounted for the length of a run (nfs-client = mount).</summary>
    public string TempDir { get; init; } = "/tmp";

    /// <summary>Toolstack binaries whose strings tell which output and error format the caller expects.</summary>
    public IReadOnlyList<string> ToolstackBinaries { get; init; } =
    [
        "/opt/xensource/libexec/xenopsd-xc",
        "/usr/libexec/xenopsd/xenopsd-xc",
        "/usr/sbin/xenopsd-xc",
        "/opt/xensource/bin/xapi",
    ];

    /// <summary>CA bundles for https repositories: CentOS-style dom0s first, then Debian's.</summary>
    public IReadOnlyList<string> CaBundle { get; init; } =
        ["/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/certs/ca-certificates.crt"];

    /// <summary>The image cache's directory; null (an empty value) turns the cache off.</summary>
    public string? CacheDir { get; init; } = "/var/cache/eliloader";

    /// <summary>Bytes the cache may hold; the least recently used files go first.</summary>
    public long CacheMaxSize { get; init; } = 2L << 30;

    /// <summary>
    /// Seconds during which a cached file the source has confirmed current is handed out
    /// without asking the source again; 0 asks on every boot. The VMs of one burst start
    /// within these seconds, so the burst costs the source one conditional request per
    /// file instead of one per VM, while a mirror's change is still seen seconds later.
    /// </summary>
    public int CacheRecheckAfter { get; init; } = 5;

    /// <summary>Seconds a download may go without receiving a byte.</summary>
    public int DownloadTimeout { get; init; } = 60;

    /// <summary>Bytes per second a download must average over download-timeout seconds; 0 turns the floor off.</summary>
    public long DownloadMinRate { get; init; } = 1024;

    public SignaturesSetting Signatures { get; init; } = SignaturesSetting.Verify;

    /// <summary>Where the OpenPGP public keys (.gpg binary, .asc armored) that sign install trees are kept.</summary>
    public string KeyringDir { get; init; } = "/etc/eliloader/keyrings";

    /// <summary>
    /// SHA-1 signatures made before this moment count (archived releases were signed with
    /// SHA-1 long before collisions could be prepared for them); null: SHA-1 never counts.
    /// </summary>
    public DateTime? Sha1SignaturesBefore { get; init; } = new DateTime(2017, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static IReadOnlyList<string> DefaultXenstoreSockets()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("XENSTORED_PATH");
        return string.IsNullOrEmpty(fromEnvironment)
            ? ["/var/run/xenstored/socket"]
            : [fromEnvironment, "/var/run/xenstored/socket"];
    }
}
