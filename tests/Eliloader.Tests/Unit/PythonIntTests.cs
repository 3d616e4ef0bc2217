using Eliloader.Install;

namespace Eliloader.Tests.Unit;

/// <summary>
/// Numbers as the Python loader's int() read them (Python 2, a byte string, base 10):
/// issue 13 item 7. Each case states what Python 2's int() gave.
/// </summary>
public sealed class PythonIntTests
{
    [Theory]
    [InlineData("2", 2L)]
    [InlineData(" 2", 2L)] // int(" 2") == 2
    [InlineData("+2", 2L)] // int("+2") == 2
    [InlineData("2 \t\n", 2L)] // trailing C whitespace is skipped
    [InlineData("\v\f\r100", 100L)]
    [InlineData("+4000", 4000L)]
    [InlineData("-1", -1L)] // int("-1") == -1: applied as a limit, so every file exceeds it
    [InlineData("- 5", -5L)] // Python 2's strtol skipped whitespace after the sign
    [InlineData("007", 7L)] // leading zeros are decimal, not octal, in base 10
    [InlineData("-0", 0L)]
    [InlineData("134217728", 134217728L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("99999999999999999999999", long.MaxValue)] // Python made a long; here the end of the range
    [InlineData("-99999999999999999999999", long.MinValue)]
    public void Reads_what_python_2_int_read(string text, long expected)
    {
        Assert.True(PythonInt.TryParse(text, out var value), $"'{text}' refused");
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")] // ValueError: invalid literal for int() with base 10: ''
    [InlineData("   ")]
    [InlineData("+")]
    [InlineData("-")]
    [InlineData("+-2")]
    [InlineData("1_000")] // Python 3.6 reads 1000; Python 2 raised ValueError
    [InlineData("\u0663")] // ARABIC-INDIC DIGIT THREE: Python 3 reads 3; refused for a byte string in Python 2
    [InlineData("\uff12")] // FULLWIDTH DIGIT TWO
    [InlineData("\u00a02")] // NO-BREAK SPACE is not C whitespace
    [InlineData("2\u2003")] // EM SPACE neither
    [InlineData("0x10")] // base 10 has no prefixes
    [InlineData("1e3")]
    [InlineData("1.0")]
    [InlineData("12L")] // long() literals' suffix: int("12L") raised ValueError
    [InlineData("1 2")]
    [InlineData("1\u00002")] // a NUL: "null byte in argument for int()"
    public void Refuses_what_python_2_int_refused(string text)
    {
        Assert.False(PythonInt.TryParse(text, out var value));
        Assert.Equal(0, value);
    }
}
