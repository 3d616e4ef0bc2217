using System.Runtime.InteropServices;

namespace Eliloader.Xen.Pygrub;

/// <summary>
/// Replaces this process with another program (execv), as the Python loader did to
/// hand the last install round to pygrub: pygrub's stdout and exit status then
/// answer the toolstack directly.
/// </summary>
public static partial class ProcessImage
{
    /// <summary>Never returns on success; otherwise returns the failure to throw.</summary>
    public static PygrubFailure Replace(string path, IReadOnlyList<string> arguments)
    {
        var argv = new IntPtr[arguments.Count + 2];
        argv[0] = Marshal.StringToCoTaskMemUTF8(path);
        for (var i = 0; i < arguments.Count; i++)
            argv[i + 1] = Marshal.StringToCoTaskMemUTF8(arguments[i]);
        try
        {
            Execv(path, argv);
            return new PygrubFailure($"Could not run {path}: {Marshal.GetLastPInvokeErrorMessage()}.");
        }
        finally
        {
            foreach (var pointer in argv)
                Marshal.FreeCoTaskMem(pointer);
        }
    }

    [LibraryImport("libc", EntryPoint = "execv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execv(string path, IntPtr[] argv);
}
