using Eliloader.Commands;

namespace Eliloader.CommandLine;

/// <summary>What a person at the shell sees for --help.</summary>
public static class HelpText
{
    private const string Template = """
        Usage: eliloader [-q] --vm <uuid> [--args=<a>] [--default_args=<a>] [--extra_args=<a>] <image>

        The bootloader XenServer, XCP and XCP-ng run in dom0 to install Linux PV guests.
        The toolstack runs it when a VM whose PV-bootloader is "eliloader" starts. It reads
        the VM's other-config (install-repository, install-distro, install-arch,
        debian-release, install-round, ...), fetches the installer kernel and ramdisk into
        the boot directory, prints the boot configuration on stdout and, when the install
        needs no further installer boot, hands the VM over to pygrub.

        Options:
          -q, --quiet            accepted for the toolstack; eliloader prints only the boot line
          --vm <uuid>            the VM being started (required)
          --args, --default_args, --extra_args <a>
                                 start of the kernel command line (older toolstacks)
          --logging              also copy the syslog messages to stderr
          --help                 this text
          --version              the version

        Commands for administrators (each with --help):
        {0}

        Configuration: /etc/eliloader.conf, or the file named by $ELILOADER_CONFIG.
        Exit status: 0 success, 1 an error the toolstack shows (on stderr), 2 usage, 3 pygrub failed.
        """;

    /// <summary>The help, with one line for each of <see cref="AdminCommands.All"/>.</summary>
    public static string Text =>
        Template.Replace("{0}\n", string.Concat(AdminCommands.All.Select(c => $"  eliloader {c.Name,-13}{c.Summary}\n")));
}
