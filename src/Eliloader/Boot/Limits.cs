namespace Eliloader.Boot;

/// <summary>The largest kernel and ramdisk a PV domain may be handed, in bytes.</summary>
public sealed record Limits(long Kernel, long Ramdisk)
{
    public static readonly Limits Default = new(32L << 20, 128L << 20);
}
