using System.Runtime.InteropServices;

namespace Eliloader.CommandLine;

/// <summary>
/// A person's answer (--help, --version) written to descriptor 1 with write(2), as every
/// command-line tool writes. A FileStream over a regular file would write with pwrite(2)
/// at the offset it read at start, so in `{ echo A; eliloader --version; echo B; } > f`
/// the shared offset would not move and B would overwrite the version. The console
/// would write the same way but first sets up the terminal and a signal thread, a third
/// of what answering costs.
/// </summary>
public static partial class StandardOutput
{
    private const int Descriptor = 1;
    private const int EINTR = 4;

    /// <exception cref="IOException">The descriptor refused the bytes (closed, a full disk, a broken pipe).</exception>
    public static unsafe void Write(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            var written = 0;
            while (written < bytes.Length)
            {
                var count = WriteCall(Descriptor, start + written, (nuint)(bytes.Length - written));
                if (count < 0 && Marshal.GetLastPInvokeError() == EINTR)
                    continue;
                if (count < 0)
                    throw new IOException("writing to stdout failed: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
                written += (int)count;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteCall(int descriptor, byte* buffer, nuint count);
}
