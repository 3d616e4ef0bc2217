namespace Eliloader.Pipeline;

/// <summary>How a run answers the toolstack.</summary>
public abstract record BootOutcome;

/// <summary>Round 1: the boot configuration on stdout.</summary>
public sealed record PrintBootConfig(string Text) : BootOutcome;

/// <summary>The last round: this process becomes pygrub, whose output answers the caller.</summary>
public sealed record ExecPygrub(string Path, IReadOnlyList<string> Arguments) : BootOutcome;
