using Eliloader.Errors;

namespace Eliloader.Boot;

/// <summary>The largest kernel and ramdisk a PV domain may be handed, in bytes.</summary>
public sealed record Limits(long Kernel, long Ramdisk)
{
    public static readonly Limits Default = new(32L << 20, 128L << 20);

    /// <summary>The LIMITS error for a file over its limit, while downloading, unpacking or handed over by pygrub.</summary>
    public static ApiError Exceeded(string file, long limit) =>
        new(ApiError.Limits, $"File '{file}' exceeds limit of {limit} bytes");
}
