namespace Eliloader.CommandLine;

/// <summary>Walks a manual command's options: each option, the value it takes, and the usage error for one it does not know.</summary>
public sealed class OptionReader(IReadOnlyList<string> args, string command)
{
    private int index = -1;

    public string Current => args[index];

    public bool Next()
    {
        index++;
        return index < args.Count;
    }

    /// <summary>The argument after the current option.</summary>
    public string Value() =>
        index + 1 < args.Count ? args[++index] : throw new UsageException($"{args[index]} requires a value");

    public UsageException Unknown() => new($"{command} does not know '{args[index]}'");
}
