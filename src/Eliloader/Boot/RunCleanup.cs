namespace Eliloader.Boot;

/// <summary>
/// Everything this run created, undone in reverse order when the run fails or is
/// signalled, so a failed boot leaves no file behind in the boot directory.
/// </summary>
public sealed class RunCleanup(Action<string> log)
{
    private readonly Lock gate = new();
    private readonly Stack<(string What, Action Undo)> undo = new();

    public void Register(string what, Action action)
    {
        lock (gate)
            undo.Push((what, action));
    }

    /// <summary>The run succeeded: what it made now belongs to the caller.</summary>
    public void Keep()
    {
        lock (gate)
            undo.Clear();
    }

    public void UndoAll()
    {
        lock (gate)
        {
            while (undo.TryPop(out var step))
            {
                try
                {
                    step.Undo();
                    log($"cleanup: {step.What}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    log($"cleanup failed: {step.What}: {e.Message}");
                }
            }
        }
    }
}
