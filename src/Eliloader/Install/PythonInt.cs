namespace Eliloader.Install;

/// <summary>
/// Reads a number the way the Python loader's int() read it (Python 2, base 10, a byte
/// string): C whitespace around it, an optional sign (whitespace may follow the sign),
/// then ASCII digits. Nothing else: no "_" separators and no non-ASCII digits, which
/// Python 3 accepts and Python 2 did not. Used for every value the Python loader passed
/// through int(): install-round and the xenstore size limits.
/// </summary>
public static class PythonInt
{
    /// <summary>
    /// The value of <paramref name="text"/>, or false when int() would have raised
    /// ValueError. Python 2 turned a value too big for a machine word into a long; here it
    /// stays at the nearest end of the long range, which no size or round reaches.
    /// </summary>
    public static bool TryParse(string text, out long value)
    {
        value = 0;
        var i = SkipSpace(text, 0);
        var negative = i < text.Length && text[i] == '-';
        if (i < text.Length && text[i] is '-' or '+')
            i = SkipSpace(text, i + 1);
        var digits = i;
        var tooBig = false;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            var digit = text[i] - '0';
            tooBig |= value > (long.MaxValue - digit) / 10;
            value = tooBig ? long.MaxValue : value * 10 + digit;
        }
        if (i == digits || SkipSpace(text, i) != text.Length)
        {
            value = 0;
            return false;
        }
        if (negative)
            value = tooBig ? long.MinValue : -value;
        return true;
    }

    /// <summary>C's isspace() in the C locale, which Python 2's int() used.</summary>
    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r')
            i++;
        return i;
    }
}
