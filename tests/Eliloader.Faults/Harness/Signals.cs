namespace Eliloader.Faults.Harness;

/// <summary>The signals the toolstack and an administrator send a bootloader, by number.</summary>
public static class Signals
{
    public const int Hangup = 1;
    public const int Interrupt = 2;
    public const int Kill = 9;
    public const int Terminate = 15;

    public static string Name(int signal) => signal switch
    {
        Hangup => "SIGHUP",
        Interrupt => "SIGINT",
        Kill => "SIGKILL",
        Terminate => "SIGTERM",
        _ => $"signal {signal}",
    };
}
