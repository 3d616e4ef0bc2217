namespace Eliloader.Formats;

/// <summary>Input went past a size bound (a file size limit, the ramdisk limit for decompressed data).</summary>
public sealed class LimitExceededException(string message) : Exception(message);
