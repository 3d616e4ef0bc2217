namespace Eliloader.Commands;

/// <summary>What to diagnose: a VM by its UUID, or install keys given on the command line, and the CD image.</summary>
public sealed record DiagnoseOptions(string? VmUuid, IReadOnlyDictionary<string, string>? OtherConfig, string Image, bool Json, bool Fetch);
