namespace Eliloader.Tests.Support;

/// <summary>
/// A scripted pygrub for faults the real one never shows (hostile listings and
/// answers, a pygrub killed, one that prints without end, one that leaves a child
/// behind): a bash script that records each call's arguments (one line per call,
/// arguments separated by '|') and then runs the behaviour the test gives.
/// </summary>
public sealed class StandInPygrub
{
    private readonly string callsFile;

    public string Path { get; }

    /// <param name="behaviour">bash run after recording; "$*" holds the arguments.</param>
    public StandInPygrub(string directory, string behaviour)
    {
        Path = System.IO.Path.Combine(directory, "pygrub");
        callsFile = System.IO.Path.Combine(directory, "pygrub.calls");
        File.WriteAllText(Path, $$"""
            #!/bin/bash
            (IFS='|'; echo "$*") >> '{{callsFile}}'
            {{behaviour}}
            """);
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Records each call and hands it to the real pygrub: to see how eliloader calls it.</summary>
    public static StandInPygrub Recording(string directory) => new(directory, $"exec {PygrubDirectory.RealPygrub} \"$@\"");

    public string[] Calls => File.Exists(callsFile) ? File.ReadAllLines(callsFile) : [];

    /// <summary>Answers every call with success and, for a real boot, the given boot line.</summary>
    public const string AlwaysBoots = """
        case " $* " in
          *" -n "*|*" -l "*) exit 0 ;;
        esac
        printf 'linux (kernel /var/run/xen/pygrub/boot_kernel.x)(ramdisk /var/run/xen/pygrub/boot_ramdisk.y)(args "root=/dev/xvda1")\n'
        """;
}
