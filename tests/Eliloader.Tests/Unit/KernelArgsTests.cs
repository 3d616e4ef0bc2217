using Eliloader.Boot;
using static Eliloader.Tests.Unit.InstallRequestTests;

namespace Eliloader.Tests.Unit;

/// <summary>The spacing examples of docs/protocol.md section 5, byte for byte.</summary>
public sealed class KernelArgsTests
{
    [Fact]
    public void Debianlike_old_caller_with_extra_args() =>
        Assert.Equal("-- quiet console=hvc0  ", KernelArgs.Build("-- quiet console=hvc0 ", "", Request()));

    [Fact]
    public void Rhlike_current_caller() =>
        Assert.Equal(" method=http://m/c5/", KernelArgs.Build("", "method=http://m/c5/", Request()));

    [Fact]
    public void Sleslike_current_caller() =>
        Assert.Equal("  install=http://m/s11/", KernelArgs.Build("", " install=http://m/s11/", Request()));

    [Fact]
    public void Debianlike_current_caller_without_vnc() =>
        Assert.Equal(" ", KernelArgs.Build("", "", Request()));

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    public void Vnc_password_and_install_args_follow_in_order(string vnc) =>
        Assert.Equal("  vnc vncpassword=s3cret ks=http://k/ks.cfg",
            KernelArgs.Build("", "", Request(("install-vnc", vnc), ("install-vncpasswd", "s3cret"), ("install-args", "ks=http://k/ks.cfg"))));

    // Python 2.x added " " + install-args whenever the key was present: (args "  ") for debianlike.
    [Fact]
    public void Empty_install_args_adds_its_space_as_in_python() =>
        Assert.Equal("  ", KernelArgs.Build("", "", Request(("install-args", ""))));

    // Python: "if vncpasswd:", so an empty password added nothing.
    [Fact]
    public void Empty_vnc_password_adds_nothing_as_in_python() =>
        Assert.Equal(" ", KernelArgs.Build("", "", Request(("install-vncpasswd", ""))));

    [Fact]
    public void Vnc_false_adds_nothing() =>
        Assert.Equal(" ", KernelArgs.Build("", "", Request(("install-vnc", "false"))));
}
