namespace Eliloader.Boot;

/// <summary>Where a transfer tells how far it has come: a terminal's progress bar, or nowhere.</summary>
public interface IProgressDisplay
{
    void Report(string url, long received, long? total);

    void Finish();
}

/// <summary>The toolstack's runs, and manual ones whose stderr is not a terminal: nothing is shown.</summary>
public sealed class NoProgress : IProgressDisplay
{
    public static NoProgress Instance { get; } = new();

    public void Report(string url, long received, long? total)
    {
    }

    public void Finish()
    {
    }
}
