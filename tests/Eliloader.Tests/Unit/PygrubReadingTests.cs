using Eliloader.CommandLine;
using Eliloader.Errors;
using Eliloader.Families;
using Eliloader.Pipeline;

namespace Eliloader.Tests.Unit;

/// <summary>How eliloader reads what pygrub prints, and what it gives pygrub of the caller's argv.</summary>
public sealed class PygrubReadingTests
{
    [Theory]
    [InlineData(new[] { "-q", "--vm", "U", "/dev/xvda" }, new[] { "-q", "/dev/xvda" })]
    [InlineData(new[] { "-q", "--vm=U", "", "/dev/xvda" }, new[] { "-q", "", "/dev/xvda" })]
    [InlineData(new[] { "-q", "--v", "U", "/dev/xvda" }, new[] { "-q", "/dev/xvda" })]
    [InlineData(new[] { "-q", "--v=U", "/dev/xvda" }, new[] { "-q", "/dev/xvda" })]
    [InlineData(new[] { "--default_args=", "--extra_args=a b", "--vm=U", "/dev/xvda" }, new[] { "--default_args=", "--extra_args=a b", "/dev/xvda" })]
    [InlineData(new[] { "--extra_args", "--vm", "--vm", "U", "x" }, new[] { "--extra_args", "--vm", "x" })]
    [InlineData(new[] { "-q", "--logging", "--vm", "U", "--", "--vm" }, new[] { "-q", "--logging", "--", "--vm" })]
    public void Every_caller_argument_but_vm_goes_to_pygrub(string[] argv, string[] expected)
    {
        ArgvParser.Parse(argv);
        Assert.Equal(expected, PygrubArguments.From(argv));
    }

    [Theory]
    [InlineData("'/var/run/xen/pygrub/boot_kernel.x'", "/var/run/xen/pygrub/boot_kernel.x")]
    [InlineData("\"it's\"", "it's")]
    [InlineData(@"'it\'s \\ \t\n\r'", "it's \\ \t\n\r")]
    [InlineData(@"'\x41\u00e9\U0001F600'", "A\u00e9\U0001F600")]
    [InlineData("'caf\u00e9'", "caf\u00e9")]
    public void Python_repr_strings_are_read(string literal, string value) =>
        Assert.Equal((value, literal.Length), PythonRepr.ReadString(literal, 0));

    [Theory]
    [InlineData("/bare")]
    [InlineData("'unterminated")]
    [InlineData(@"'\q'")]
    [InlineData(@"'\x4'")]
    [InlineData(@"'\ud800'")]
    [InlineData(@"'\UFFFFFFFF'")]
    [InlineData("'raw\nnewline'")]
    public void Anything_repr_would_not_write_is_refused(string literal) =>
        Assert.Null(PythonRepr.ReadString(literal, 0));

    [Fact]
    public void Pygrubs_sxp_answer_is_read_in_both_generations()
    {
        // Xen 4.x pygrub quotes with repr; older ones printed bare paths.
        Assert.Equal(new PygrubAnswer("/k", "/r", "ro quiet"), PygrubAnswer.ParseSxp("linux (kernel '/k')(ramdisk '/r')(args 'ro quiet')"));
        Assert.Equal(new PygrubAnswer("/k", null, "ro"), PygrubAnswer.ParseSxp("linux (kernel /k)(args \"ro\")\n"));
    }

    [Fact]
    public void Pygrubs_simple_answer_is_read()
    {
        Assert.Equal(new PygrubAnswer("/k", "/r", "ro quiet"), PygrubAnswer.ParseSimple("kernel /k\nramdisk /r\nargs ro quiet\n\n"));
    }

    private const string Entry = "title: {0}\n  root: None\n  kernel: /k\n  args: ro\n  initrd: /i\n";

    [Fact]
    public void A_complete_listing_has_every_entry()
    {
        var listing = PygrubListing.Read(string.Format(Entry, "a") + string.Format(Entry, "b"));
        Assert.Equal([new ListedEntry("a", true), new ListedEntry("b", true)], listing.Entries);
        Assert.False(listing.Stopped);
        Assert.Null(listing.StoppedAt);
    }

    [Theory]
    [InlineData("title: c\n  root: d0p1\n", false, "entry 1 'c', which has no kernel")]
    [InlineData("title: c\n  root: None\n  kernel: /k\n  args: ro\n", true, "entry 1 'c', which has no initrd")]
    public void A_listing_that_stops_ends_with_the_entry_it_stopped_at(string last, bool hasKernel, string stoppedAt)
    {
        var listing = PygrubListing.Read(string.Format(Entry, "a") + last + string.Format(Entry, "other partition"));
        Assert.Equal([new ListedEntry("a", true), new ListedEntry("c", hasKernel)], listing.Entries);
        Assert.Equal(stoppedAt, listing.StoppedAt);
    }

    [Fact]
    public void An_empty_listing_has_no_entries()
    {
        var listing = PygrubListing.Read("");
        Assert.Empty(listing.Entries);
        Assert.False(listing.Stopped);
    }

    [Theory]
    [InlineData("  root: None\n", "pygrub listed an unexpected line: '  root: None'.")]
    [InlineData("title: a\n  kernel: /k\n", "pygrub listed '  kernel: /k' out of order in the entry 'title: a'.")]
    [InlineData("title: a\n  ramdisk: /r\n", "pygrub listed an unexpected line: '  ramdisk: /r'.")]
    public void A_listing_line_out_of_place_is_invalid_source(string listing, string message)
    {
        var error = Assert.Throws<ApiError>(() => PygrubListing.Read(listing));
        Assert.Equal(ApiError.InvalidSource, error.Code);
        Assert.Equal(message, error.Parameters[0]);
    }

    [Fact]
    public void A_thousand_entries_are_read_and_one_more_is_refused()
    {
        Assert.Equal(1000, PygrubListing.Read(string.Concat(Enumerable.Repeat(string.Format(Entry, "x"), 1000))).Entries.Count);
        var error = Assert.Throws<ApiError>(() => PygrubListing.Read(string.Concat(Enumerable.Repeat(string.Format(Entry, "x"), 1001))));
        Assert.Equal("pygrub listed more than 1000 boot entries.", error.Parameters[0]);
    }
}
