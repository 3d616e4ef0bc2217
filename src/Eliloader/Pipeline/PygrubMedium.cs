using Eliloader.Boot;
using Eliloader.Errors;
using Eliloader.Xen.Pygrub;

namespace Eliloader.Pipeline;

/// <summary>
/// The pygrub family's CD install: pygrub extracts the installer from the medium in
/// the VM's drive, in the caller's format, as the Python loader of each era ran it;
/// its kernel and ramdisk are handed on, its args are not (they come from the guest's
/// medium). The answer is read strictly and its files are held to the toolstack's
/// rule (<see cref="PygrubFiles"/>) before anything touches them.
/// </summary>
public sealed class PygrubMedium(PygrubRunner pygrub, PygrubFiles files, Action<string> log)
{
    public (string Kernel, string? Ramdisk) BootFiles(IReadOnlyList<string> pygrubArgv, Limits limits)
    {
        files.NoteExisting();
        // A dry run first: with -n pygrub copies nothing out, and a medium it cannot boot
        // would otherwise leave its two temporary files behind in its directory.
        Succeeded(pygrub.RunExactly(pygrub.WithFormat(["-n", .. pygrubArgv])));
        var result = pygrub.RunExactly(pygrub.WithFormat(pygrubArgv));
        Succeeded(result);
        var answer = pygrub.SimpleFormat ? PygrubAnswer.ParseSimple(result.Stdout) : PygrubAnswer.ParseSxp(result.Stdout);
        // Whatever else is wrong, the files pygrub wrote for this run go when the run fails.
        foreach (var named in new[] { answer.Kernel, answer.Ramdisk }.OfType<string>())
            files.Claim(named);
        if (answer.Kernel is null)
            throw new ApiError(ApiError.InvalidSource, "pygrub found no kernel on the medium.");
        var kernel = files.Accept("kernel", answer.Kernel, limits.Kernel);
        var ramdisk = answer.Ramdisk is null ? null : files.Accept("ramdisk", answer.Ramdisk, limits.Ramdisk);
        log($"pygrub extracted kernel {kernel}, ramdisk {ramdisk ?? "none"}");
        return (kernel, ramdisk);
    }

    /// <summary>Any failing run is the Python loader's INVALID_SOURCE "Error N running pygrub", with pygrub's reason when it gave one.</summary>
    private void Succeeded(Xen.ChildResult result)
    {
        if (result.ExitCode == 0)
            return;
        var reason = PygrubRunner.Reason(result);
        throw new ApiError(ApiError.InvalidSource, $"Error {result.ExitCode} running {pygrub.Path}" + (reason is null ? "" : $": {reason}"));
    }
}
