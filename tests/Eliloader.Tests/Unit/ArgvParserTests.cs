using Eliloader.CommandLine;

namespace Eliloader.Tests.Unit;

/// <summary>Every caller generation's argv shape (docs/protocol.md section 2).</summary>
public sealed class ArgvParserTests
{
    private const string Uuid = "0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6";

    public static TheoryData<string, string[], string, string> Generations => new()
    {
        { "xapi 2009-2013, empty args", ["-q", "--default_args=", "--extra_args=", $"--vm={Uuid}", "/dev/xvdd"], "/dev/xvdd", "" },
        { "xapi 2009-2013, PV-args", ["-q", "--default_args=", "--extra_args=-- quiet console=hvc0", $"--vm={Uuid}", ""], "", "-- quiet console=hvc0 " },
        { "xapi, both args", ["-q", "--default_args=legacy", "--extra_args=extra", $"--vm={Uuid}", ""], "", "legacy extra " },
        { "xapi, escaped quotes", ["-q", "--default_args=", "--extra_args=ks=\\\"a b\\\" path=C:\\\\x", $"--vm={Uuid}", ""], "", "ks=\"a b\" path=C:\\x " },
        { "xenopsd Dec 2012, separate values", ["-q", "--default_args", "", "--extra_args", "-- quiet", "--vm", Uuid, ""], "", " -- quiet " },
        { "xenopsd Jan-Apr 2013, only non-empty", ["-q", "--extra_args", "console=hvc0", "--vm", Uuid, "/dev/sr0"], "/dev/sr0", "console=hvc0 " },
        { "xenopsd Apr 2013 on", ["-q", "--vm", Uuid, ""], "", "" },
        { "PV-bootloader-args with empty elements", ["-q", "--vm", Uuid, "", "", "/dev/xvdd"], "/dev/xvdd", "" },
        { "empty image after empty elements", ["-q", "--vm", Uuid, "", ""], "", "" },
        { "--args accumulates in order", ["--args=a", "--extra_args=b", "--default_args=c", "--vm", Uuid, "x"], "x", "a b c " },
        { "--args= dropped", ["--args=", "--vm", Uuid, "x"], "x", "" },
        { "unique prefix, as getopt allows", ["--quiet", "--ext=e", "--vm", Uuid, "x"], "x", "e " },
        // Python's getopt knew only its own long options: --v was --vm, --he nothing.
        { "--v is --vm, as in Python: --version does not make it ambiguous", ["-q", "--v", Uuid, "x"], "x", "" },
        { "--v= is --vm=", ["-q", $"--v={Uuid}", "x"], "x", "" },
        // Python's getopt.getopt stopped at the first positional argument and crashed
        // on this line; eliloader reads options anywhere, as gnu_getopt does.
        { "options after the image", ["-q", "/dev/xvdd", "--vm", Uuid], "/dev/xvdd", "" },
        { "-q and --extra_args after the image", ["--vm", Uuid, "img", "-q", "--extra_args=e"], "img", "e " },
        { "-- ends options", ["--vm", Uuid, "--", "--not-an-option"], "--not-an-option", "" },
        { "--logging", ["--logging", "--vm", Uuid, "img"], "img", "" },
    };

    [Theory]
    [MemberData(nameof(Generations))]
    public void Parses_caller_generation(string caller, string[] argv, string image, string callerArgs)
    {
        var invocation = ArgvParser.Parse(argv);
        Assert.Equal(InvocationKind.Boot, invocation.Kind);
        Assert.Equal(Uuid, invocation.VmUuid);
        Assert.Equal(image, invocation.Image);
        Assert.True(callerArgs == invocation.CallerArgs, $"{caller}: expected args '{callerArgs}', got '{invocation.CallerArgs}'");
    }

    public static TheoryData<string[], string> UsageErrors => new()
    {
        { [], "--vm is required" },
        { ["/dev/xvdd"], "--vm is required" },
        { ["--vm", Uuid], "the image argument is missing" },
        { ["--vm", Uuid, "a", "b"], "more than one image given" },
        { ["--vm", Uuid, "--bogus", "x"], "unknown option --bogus" },
        { ["--vm", Uuid, "-x", "x"], "unknown option -x" },
        { ["--vm"], "option --vm requires a value" },
        { ["--vm=", "x"], "--vm is required" },
        { ["--quiet=yes", "--vm", Uuid, "x"], "option --quiet takes no value" },
        { ["--quiet", "--vm", Uuid, "x", "--", "y"], "more than one image given" },
        { ["--ver", "--vm", Uuid, "x"], "unknown option --ver" },
        { ["--he", "--vm", Uuid, "x"], "unknown option --he" },
        { ["--", "--vm", Uuid, "x"], "--vm is required" },
        { ["--=x", "--vm", Uuid, "x"], "unknown option --" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void Rejects_bad_usage(string[] argv, string message)
    {
        var error = Assert.Throws<UsageException>(() => ArgvParser.Parse(argv));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void A_usage_error_detail_is_one_line_even_when_an_argument_has_a_newline()
    {
        var error = Assert.Throws<UsageException>(() => ArgvParser.Parse(["--vm", Uuid, "a\nb", "c\r"]));
        Assert.Equal("more than one image given: a\\x0ab c\\x0d", error.Message);
    }

    // --help and --version are this project's additions, matched only in full.
    [Theory]
    [InlineData("--help", InvocationKind.Help)]
    [InlineData("-h", InvocationKind.Help)]
    [InlineData("--version", InvocationKind.Version)]
    public void Answers_a_person(string option, InvocationKind kind) =>
        Assert.Equal(kind, ArgvParser.Parse([option]).Kind);

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\\\"b", "a\"b")]
    [InlineData("a\\\\b", "a\\b")]
    [InlineData("a\\nb", "a\\nb")]
    [InlineData("trailing\\", "trailing\\")]
    public void Undoes_the_callers_escaping(string escaped, string value) =>
        Assert.Equal(value, ArgvParser.Unescape(escaped));
}
