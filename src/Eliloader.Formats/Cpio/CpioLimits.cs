namespace Eliloader.Formats.Cpio;

/// <summary>Bounds on an archive that comes from a guest's medium or a mirror.</summary>
/// <param name="MaxEntries">Members in one archive stream.</param>
/// <param name="MaxNameLength">Bytes of a member name (PATH_MAX).</param>
public sealed record CpioLimits(int MaxEntries = 200_000, int MaxNameLength = 4096);
