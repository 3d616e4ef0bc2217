using Eliloader.Errors;
using Eliloader.Install;

namespace Eliloader.Tests.Unit;

/// <summary>
/// Each install key present with an empty value, and install-round, as the Python
/// loader read them (issue 13 items 1, 2 and 7), or as docs/compatibility.md's differences say.
/// </summary>
public sealed class InstallRequestTests
{
    /// <summary>The request a VM with these other-config keys makes.</summary>
    internal static InstallRequest Request(params (string Key, string Value)[] keys) =>
        InstallRequest.FromOtherConfig(keys.ToDictionary(k => k.Key, k => k.Value));

    [Fact]
    public void Empty_install_proxy_is_no_proxy_as_python_tested_it_for_truth() =>
        Assert.Null(Request(("install-proxy", "")).Proxy);

    [Fact]
    public void Empty_install_vncpasswd_is_no_password_as_python_tested_it_for_truth() =>
        Assert.Null(Request(("install-vncpasswd", "")).VncPassword);

    [Fact]
    public void Empty_install_args_is_present_as_in_python() =>
        Assert.Equal("", Request(("install-args", "")).InstallArgs);

    // Python counted these as set and fetched the repository's directory listing as the file.
    [Theory]
    [InlineData("install-kernel")]
    [InlineData("install-ramdisk")]
    public void Empty_install_kernel_or_ramdisk_is_unset_where_python_fetched_the_directory(string key)
    {
        var request = Request((key, ""));
        Assert.Null(request.InstallKernel);
        Assert.Null(request.InstallRamdisk);
    }

    // Python: install-vnc in ["1", "true"]; install-distro "" is looked up and not supported.
    [Fact]
    public void Empty_install_vnc_is_false_and_empty_install_distro_stays_empty_as_in_python()
    {
        var request = Request(("install-vnc", ""), ("install-distro", ""), ("install-arch", ""));
        Assert.False(request.Vnc);
        Assert.Equal("", request.Distro);
        Assert.Equal("", request.Arch);
    }

    [Theory]
    [InlineData(" 2", 2)]
    [InlineData("+2", 2)]
    [InlineData("2\n", 2)]
    [InlineData("0", 0)] // read, then refused by the family's CheckRound
    [InlineData("-1", -1)]
    public void Install_round_is_read_as_python_int_read_it(string text, int round) =>
        Assert.Equal(round, Request(("install-round", text)).Round);

    // Python: int() raised ValueError, a traceback without RuntimeError:, shown as an internal error.
    [Theory]
    [InlineData("")]
    [InlineData("two")]
    [InlineData("1_0")]
    [InlineData("\u0662")]
    [InlineData("99999999999")]
    public void An_install_round_python_could_not_read_is_unsupported_naming_the_key(string text)
    {
        var error = Assert.Throws<ApiError>(() => Request(("install-round", text)));
        Assert.Equal(ApiError.UnsupportedInstallMethod, error.Code);
        Assert.Equal([$"other-config:install-round is '{text}', which is not a round number."], error.Parameters);
    }
}
