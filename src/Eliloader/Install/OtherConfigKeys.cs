namespace Eliloader.Install;

/// <summary>The VM other-config keys eliloader reads and writes, spelled as XAPI spells them.</summary>
public static class OtherConfigKeys
{
    public const string InstallRepository = "install-repository";
    public const string InstallDistro = "install-distro";
    public const string InstallArch = "install-arch";
    public const string DebianRelease = "debian-release";
    public const string InstallRound = "install-round";
    public const string InstallVnc = "install-vnc";
    public const string InstallVncPassword = "install-vncpasswd";
    public const string InstallArgs = "install-args";
    public const string InstallKernel = "install-kernel";
    public const string InstallRamdisk = "install-ramdisk";
    public const string InstallProxy = "install-proxy";
}
