using Eliloader.Tests.Support;
using Eliloader.Xen.XenApi;
using XapiSimulator;

namespace Eliloader.Tests.Unit;

/// <summary>eliloader's XenAPI client against the simulator's real Unix socket.</summary>
public sealed class XenApiClientTests : IDisposable
{
    private readonly Scenario host = new();
    private readonly List<string> log = [];

    private XenApiSession Connect() =>
        new(new XmlRpcOverUnixSocket([host.Directory + "/missing", host.XapiSocket], TimeSpan.FromSeconds(10)), log.Add);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_strings_with_and_without_string_elements(bool stringTags)
    {
        host.State.StringTags = stringTags;
        host.AddVm(new() { ["install-distro"] = "debianlike", ["install-repository"] = "http://m/<&>\"'" });
        _ = host.Simulator;
        using (var session = Connect())
        {
            var vm = VmApi.ByUuid(session, Scenario.VmUuid);
            var otherConfig = vm.GetOtherConfig();
            Assert.Equal("http://m/<&>\"'", otherConfig["install-repository"]);
            Assert.Equal("debianlike", otherConfig["install-distro"]);
            Assert.Equal(["0", "3"], vm.GetVbds().Select(vm.GetVbdUserdevice));
        }
        Assert.Equal(["session.login_with_password", "VM.get_by_uuid", "VM.get_other_config", "VM.get_VBDs", "VBD.get_userdevice", "VBD.get_userdevice", "session.logout"], host.CallNames);
        Assert.Equal(0, host.Simulator.OpenSessions);
    }

    [Fact]
    public void Logs_in_as_eliloader_and_passes_the_session_first()
    {
        host.AddVm([]);
        _ = host.Simulator;
        using (var session = Connect())
            VmApi.ByUuid(session, Scenario.VmUuid).SetPvBootloader("pygrub");
        var calls = host.Simulator.Calls;
        Assert.Equal(["", "", "1.1", "eliloader"], calls[0].Params);
        var sessionRef = calls[1].Params[0];
        Assert.StartsWith("OpaqueRef:", sessionRef);
        Assert.All(calls.Skip(1), c => Assert.Equal(sessionRef, c.Params[0]));
        Assert.Equal("pygrub", host.Vm.PvBootloader);
    }

    [Fact]
    public void A_failure_carries_the_xenapi_code_and_parameters()
    {
        _ = host.Simulator;
        using var session = Connect();
        var failure = Assert.Throws<XenApiFailure>(() => VmApi.ByUuid(session, "no-such-uuid"));
        Assert.Equal("UUID_INVALID", failure.Code);
        Assert.Equal(["VM", "no-such-uuid"], failure.Parameters);
    }

    [Fact]
    public void Logs_in_again_on_session_invalid()
    {
        host.AddVm(new() { ["install-distro"] = "debianlike" });
        host.State.Faults.Add(new Fault { Method = "VM.get_other_config", Error = ["SESSION_INVALID", "OpaqueRef:old"], Times = 2 });
        _ = host.Simulator;
        using (var session = Connect())
            Assert.Equal("debianlike", VmApi.ByUuid(session, Scenario.VmUuid).GetOtherConfig()["install-distro"]);
        Assert.Equal(
            ["session.login_with_password", "VM.get_by_uuid", "VM.get_other_config", "session.login_with_password", "VM.get_other_config", "session.login_with_password", "VM.get_other_config", "session.logout"],
            host.CallNames);
    }

    [Fact]
    public void Gives_up_after_three_fresh_logins()
    {
        host.AddVm([]);
        host.State.Faults.Add(new Fault { Method = "VM.get_platform", Error = ["SESSION_INVALID", "x"], Times = 10 });
        _ = host.Simulator;
        using var session = Connect();
        var vm = VmApi.ByUuid(session, Scenario.VmUuid);
        Assert.Equal("SESSION_INVALID", Assert.Throws<XenApiFailure>(() => vm.GetPlatform()).Code);
        Assert.Equal(4, host.CallNames.Count(c => c == "VM.get_platform"));
    }

    [Fact]
    public void A_dropped_connection_is_an_io_error_naming_the_call()
    {
        host.State.Faults.Add(new Fault { Method = "session.login_with_password", Drop = true });
        _ = host.Simulator;
        var error = Assert.Throws<IOException>(() => Connect());
        Assert.Contains("session.login_with_password", error.Message);
    }

    [Fact]
    public void No_socket_names_every_path_tried()
    {
        var error = Assert.Throws<IOException>(() =>
            new XenApiSession(new XmlRpcOverUnixSocket(["/nonexistent/a", "/nonexistent/b"], TimeSpan.FromSeconds(1)), log.Add));
        Assert.Contains("/nonexistent/a", error.Message);
        Assert.Contains("/nonexistent/b", error.Message);
    }

    public void Dispose() => host.Dispose();
}
