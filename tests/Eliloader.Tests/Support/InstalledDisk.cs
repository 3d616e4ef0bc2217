namespace Eliloader.Tests.Support;

/// <summary>
/// The disk a template's second round meets, as that release's installer leaves it, with
/// the kernel and ramdisk pygrub must boot from it and the PV-bootloader-args the install
/// must leave on the VM for the boots after.
/// </summary>
public sealed record InstalledDisk(string Image, string Kernel, string Initrd, string BootloaderArgs)
{
    /// <summary>
    /// Oracle Linux 5 lists its el5uek kernels first (the install saves the first Xen
    /// entry); SUSE 9 and 10 write no menu.lst on Xen (the install saves the kernel's
    /// path: /boot/vmlinuz-xen on x86_64, the /boot partition's /vmlinuz-xenpae on
    /// i386); the other Red Hat releases boot their default grub-legacy entry, and SUSE
    /// 11 and 12 their menu.lst's.
    /// </summary>
    public static InstalledDisk For(Template template) => template switch
    {
        { Distro: "rhlike", Name: var name } when name.StartsWith("Oracle Enterprise Linux 5", StringComparison.Ordinal) =>
            new(InstalledGuests.OracleUek, InstalledGuests.OracleXenKernel, InstalledGuests.OracleXenInitrd, "--entry 2"),
        { Distro: "rhlike" } =>
            new(InstalledGuests.CentOs5, InstalledGuests.CentOs5Kernel, InstalledGuests.CentOs5Initrd, ""),
        { Distro: "sleslike", Name: var name, Arch: var arch } when name.Contains("Server 9", StringComparison.Ordinal) || name.Contains("Server 10", StringComparison.Ordinal) =>
            arch == "i386"
                ? new(InstalledGuests.Sles10I386, InstalledGuests.Sles10PaeKernel, InstalledGuests.Sles10PaeInitrd, "--kernel /vmlinuz-xenpae --ramdisk /initrd-xenpae")
                : new(InstalledGuests.Sles10, InstalledGuests.Sles10Kernel, InstalledGuests.Sles10Initrd, "--kernel /boot/vmlinuz-xen --ramdisk /boot/initrd-xen"),
        { Distro: "sleslike" } =>
            new(InstalledGuests.Sles11, InstalledGuests.Sles11Kernel, InstalledGuests.Sles11Initrd, ""),
        _ => throw new InvalidOperationException($"{template.Name}: {template.Distro} has no second round"),
    };
}
