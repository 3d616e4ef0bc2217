using Eliloader.Boot;
using Eliloader.Tests.Support;
using Eliloader.Xen.Xenstore;

namespace Eliloader.Tests.Unit;

public sealed class XenstoreClientTests : IDisposable
{
    private readonly Scenario host = new();

    private XenstoreClient Connect() => new([host.XenstoreSocket], TimeSpan.FromSeconds(5));

    [Fact]
    public void Reads_values_and_lists_directories()
    {
        host.State.Xenstore["/mh/limits/pv-kernel-max-size"] = "1234";
        host.State.Xenstore["/vm/u/domains/12"] = "";
        host.State.Xenstore["/vm/u/domains/13"] = "";
        _ = host.Simulator;
        using var xenstore = Connect();
        Assert.Equal("1234", xenstore.ReadValue("/mh/limits/pv-kernel-max-size"));
        Assert.Null(xenstore.ReadValue("/mh/limits/pv-ramdisk-max-size"));
        Assert.Equal(["12", "13"], xenstore.List("/vm/u/domains"));
        Assert.Null(xenstore.List("/vm/other/domains"));
    }

    [Fact]
    public void Limits_come_from_host_then_vm_and_bad_values_are_ignored()
    {
        host.State.Xenstore["/mh/limits/pv-kernel-max-size"] = "1000";
        host.State.Xenstore["/mh/limits/pv-ramdisk-max-size"] = "2000";
        host.State.Xenstore["/vm/u/domains/5"] = "";
        host.State.Xenstore["/local/domain/5/platform/pv-ramdisk-max-size"] = "3000";
        host.State.Xenstore["/local/domain/5/platform/pv-kernel-max-size"] = "lots";
        _ = host.Simulator;
        var log = new List<string>();
        Assert.Equal(new Limits(1000, 3000), LimitsReader.Read(Connect, "u", log.Add));
        Assert.Contains(log, l => l.Contains("'lots' is not a size"));
    }

    [Fact]
    public void Without_xenstore_the_defaults_hold()
    {
        var log = new List<string>();
        Assert.Equal(Limits.Default, LimitsReader.Read(() => new XenstoreClient(["/nonexistent"], TimeSpan.FromSeconds(1)), "u", log.Add));
        Assert.Equal(new Limits(32 << 20, 128 << 20), Limits.Default);
    }

    public void Dispose() => host.Dispose();
}
