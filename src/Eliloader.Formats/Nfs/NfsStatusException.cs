namespace Eliloader.Formats.Nfs;

/// <summary>
/// An NFS or MOUNT operation the server answered with an error status. v3's nfsstat3,
/// v4's nfsstat4 and MOUNT v3's mountstat3 number the errors they share alike.
/// </summary>
public sealed class NfsStatusException(string operation, uint status) : Exception($"{operation} failed: {Describe(status)}")
{
    public const uint NoEntry = 2;
    public const uint Access = 13;
    public const uint NotDirectory = 20;
    public const uint Permission = 1;
    public const uint MinorVersionMismatch = 10021;

    public string Operation { get; } = operation;
    public uint Status { get; } = status;

    /// <summary>The status's name, for a message an administrator can look up.</summary>
    public static string Describe(uint status) => status switch
    {
        Permission => "PERM (1)",
        NoEntry => "NOENT (2)",
        5 => "IO (5)",
        6 => "NXIO (6)",
        Access => "ACCES (13)",
        NotDirectory => "NOTDIR (20)",
        21 => "ISDIR (21)",
        22 => "INVAL (22)",
        63 => "NAMETOOLONG (63)",
        70 => "STALE (70)",
        10001 => "BADHANDLE (10001)",
        10006 => "SERVERFAULT (10006)",
        10008 => "DELAY (10008)",
        10013 => "GRACE (10013)",
        10016 => "WRONGSEC (10016)",
        MinorVersionMismatch => "MINOR_VERS_MISMATCH (10021)",
        10025 => "BAD_STATEID (10025)",
        10029 => "SYMLINK (10029)",
        _ => $"status {status}",
    };

    /// <summary>The answer meant the path is not there (or not for us), rather than that the server failed.</summary>
    public bool MeansMissing => Status is NoEntry or NotDirectory or Access or Permission;
}
