namespace Eliloader.Tests.Support;

/// <summary>
/// What a failed boot must look like to the toolstack: exit 1, the code and message in
/// the current dialect, nothing in the boot directory, and the VM as it was, never
/// written to and its session closed.
/// </summary>
public static class FailedBoot
{
    public static void AssertLeftAlone(Scenario host, ProcessResult result, string code, string message, IReadOnlyDictionary<string, string> otherConfig)
    {
        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}, stderr: {result.Stderr}");
        Assert.Equal("", result.Stdout);
        Assert.Equal($"RuntimeError: {code}\n{message}\n", result.Stderr);
        Assert.Empty(host.BootFiles());
        Assert.Equal("eliloader", host.Vm.PvBootloader);
        Assert.Equal(otherConfig, host.Vm.OtherConfig);
        Assert.DoesNotContain(host.CallNames, c => c.Contains(".set_") || c.Contains(".add_to_") || c.Contains(".remove_from_"));
        Assert.Equal("session.logout", host.CallNames[^1]);
    }
}
