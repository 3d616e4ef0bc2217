using Eliloader.Install;

namespace Eliloader.Boot;

/// <summary>
/// The installer's kernel command line, byte for byte as the Python loader built it
/// (docs/protocol.md section 5): caller args, one space, the family's args, then VNC and
/// install-args.
/// </summary>
public static class KernelArgs
{
    public static string Build(string callerArgs, string familyArgs, InstallRequest request)
    {
        var args = callerArgs + " " + familyArgs;
        if (request.Vnc)
            args += " vnc";
        if (request.VncPassword is not null)
            args += " vncpassword=" + request.VncPassword;
        // Present but empty still adds its space, as the Python loader's did.
        if (request.InstallArgs is not null)
            args += " " + request.InstallArgs;
        return args;
    }
}
