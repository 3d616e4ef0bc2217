using Eliloader.Errors;
using Eliloader.Output;

namespace Eliloader.Tests.Unit;

public sealed class BootConfigWriterTests
{
    private static readonly BootConfig Config = new("/var/run/xend/boot/vmlinuz-AbC123", "/var/run/xend/boot/ramdisk-xYz789", " method=http://m/c5/");

    [Fact]
    public void Sxp_is_one_line_as_the_python_loader_printed() =>
        Assert.Equal(
            "linux (kernel /var/run/xend/boot/vmlinuz-AbC123)(ramdisk /var/run/xend/boot/ramdisk-xYz789)(args \" method=http://m/c5/\")\n",
            new SxpWriter().Write(Config));

    [Fact]
    public void Sxp_without_ramdisk_has_no_ramdisk_part() =>
        Assert.Equal("linux (kernel /b/k)(args \"x\")\n", new SxpWriter().Write(new BootConfig("/b/k", null, "x")));

    [Fact]
    public void Sxp_escapes_quotes_and_backslashes() =>
        Assert.Equal("linux (kernel /b/k)(args \"ks=\\\"a b\\\" p=C:\\\\x \")\n",
            new SxpWriter().Write(new BootConfig("/b/k", null, "ks=\"a b\" p=C:\\x ")));

    [Fact]
    public void Sxp_never_prints_empty_args() =>
        Assert.Equal("linux (kernel /b/k)(args \" \")\n", new SxpWriter().Write(new BootConfig("/b/k", null, "")));

    [Theory]
    [InlineData("/b/with space")]
    [InlineData("/b/paren(")]
    [InlineData("/b/quote\"")]
    public void Sxp_refuses_paths_it_cannot_carry(string kernel)
    {
        var error = Assert.Throws<ApiError>(() => new SxpWriter().Write(new BootConfig(kernel, null, "x")));
        Assert.Contains(kernel, error.Parameters[0]);
    }

    [Fact]
    public void Sxp_refuses_a_line_break_in_args()
    {
        var error = Assert.Throws<ApiError>(() => new SxpWriter().Write(new BootConfig("/b/k", null, "a\nb")));
        Assert.Equal(ApiError.UnsupportedInstallMethod, error.Code);
    }

    [Fact]
    public void Simple_is_key_value_lines() =>
        Assert.Equal(
            "kernel /var/run/xend/boot/vmlinuz-AbC123\nramdisk /var/run/xend/boot/ramdisk-xYz789\nargs  method=http://m/c5/\n",
            new SimpleWriter().Write(Config));

    [Fact]
    public void Simple_without_ramdisk_has_no_ramdisk_line() =>
        Assert.Equal("kernel /b/k\nargs a \"b\"\n", new SimpleWriter().Write(new BootConfig("/b/k", null, "a \"b\"")));

    [Theory]
    [InlineData("a\nramdisk /etc/shadow")]
    [InlineData("a\rb")]
    public void Simple_refuses_a_line_break(string args)
    {
        var error = Assert.Throws<ApiError>(() => new SimpleWriter().Write(new BootConfig("/b/k", null, args)));
        Assert.Equal(ApiError.UnsupportedInstallMethod, error.Code);
        Assert.Contains("args", error.Parameters[0]);
    }
}
