namespace Eliloader.Xen.Pygrub;

/// <summary>pygrub could not be run or reported an error (exit status above 1); eliloader exits 3.</summary>
public sealed class PygrubFailure(string message) : Exception(message);
