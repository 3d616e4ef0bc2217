namespace Eliloader.Faults.Harness;

/// <summary>How the caller reads stderr (docs/protocol.md section 10): after "RuntimeError: ", or the code on the first line.</summary>
public enum Dialect
{
    RuntimeError,
    CodeLines,
}

/// <summary>
/// What a hostile case must end in: the exit status, and for a failure its code, parts
/// of its message in order (separated by <see cref="Gap"/>, with {token}s the case fills
/// in, such as {repo}) and the dialect; the
/// wall-time bound, and a CPU-time bound where the point is how much work an input may
/// cause (a loaded machine stretches wall time, not CPU time).
/// </summary>
public sealed record Expected(string Label, int Exit, string? Code, string? Message)
{
    public Dialect Dialect { get; init; } = Dialect.RuntimeError;
    public TimeSpan Wall { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan? Cpu { get; init; }

    /// <summary>A manual `diagnose`: the failure is its finding on stdout, not an error on stderr.</summary>
    public bool Diagnosis { get; init; }

    /// <summary>A signal's number when the run is expected to end by it.</summary>
    public int? Signal { get; init; }

    /// <summary>Stands for any text between two expected parts of a message.</summary>
    public const string Gap = "…";

    public const int ApiFailure = 1;
    public const int PygrubFailure = 3;

    public static Expected Error(string code, string message) => new(code, ApiFailure, code, message);

    /// <summary>pygrub failed or could not be run: exit 3 with INTERNAL_ERROR.</summary>
    public static Expected Pygrub(string message) => new("INTERNAL_ERROR, exit 3", PygrubFailure, "INTERNAL_ERROR", message);

    public static Expected Boots() => new("boots", 0, null, null);

    /// <summary>A manual command that succeeds (exit 0) and prints no boot configuration.</summary>
    public static Expected Completes() => new("exit 0", 0, null, null) { BootLine = false };

    /// <summary>Whether a successful run prints a boot configuration (a boot does; a manual command does not).</summary>
    public bool BootLine { get; init; } = true;

    /// <summary>`diagnose` finding that a real boot would fail with this code and message.</summary>
    public static Expected Diagnosed(string code, string message) => new($"diagnosed {code}", ApiFailure, code, message) { Diagnosis = true };

    /// <summary>Ended by the signal the toolstack sends (128 + its number, as a shell reports it), having cleaned up.</summary>
    public static Expected Ends(string signalName, int signal) => new($"{signalName}, clean", 128 + signal, null, null) { Signal = signal };

    public Expected Within(double seconds) => this with { Wall = TimeSpan.FromSeconds(seconds) };

    public Expected WithinCpu(double seconds) => this with { Cpu = TimeSpan.FromSeconds(seconds) };

    public Expected InCodeLines() => this with
    {
        Dialect = Dialect.CodeLines,
        Label = Code is { } code && Label.StartsWith(code, StringComparison.Ordinal) ? code + " (code-lines)" + Label[code.Length..] : Label + " (code-lines)",
    };
}

/// <summary>One hostile input: its name in the table, what it must end in, and how to set it up and run it.</summary>
public sealed record FaultCase(string Name, Expected Expected, Action<FaultHost> Act)
{
    public override string ToString() => Name;

    /// <summary>The same input for a caller of 2010 to May 2012, which reads the code from the first line.</summary>
    public FaultCase InCodeLines() => new(Name + ", code-lines dialect", Expected.InCodeLines(), Act);
}
