namespace Eliloader.Xen.Pygrub;

/// <summary>
/// pygrub printed more than a run keeps: what it prints echoes the guest's boot
/// configuration, so this is the guest's doing (INVALID_SOURCE), not pygrub failing.
/// </summary>
public sealed class PygrubOutputRefused(string message) : Exception(message);
