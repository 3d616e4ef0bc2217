using System.Globalization;
using System.Text;

namespace Eliloader.Pipeline;

/// <summary>
/// Reads a string literal as Python's repr() writes one: in single quotes (double
/// quotes when the text holds a single quote and no double one), with \\, \', \",
/// \t, \n, \r, \xHH, \uHHHH and \UHHHHHHHH escapes. Nothing else: repr never writes
/// another escape, a raw control character or an unquoted value.
/// </summary>
public static class PythonRepr
{
    /// <returns>The text and the index just past the closing quote, or null when no such literal starts at <paramref name="start"/>.</returns>
    public static (string Value, int End)? ReadString(string text, int start)
    {
        if (start >= text.Length || text[start] is not ('\'' or '"'))
            return null;
        var quote = text[start];
        var value = new StringBuilder();
        for (var i = start + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == quote)
                return (value.ToString(), i + 1);
            if (char.IsControl(c))
                return null;
            if (c != '\\')
            {
                value.Append(c);
                continue;
            }
            if (++i == text.Length)
                return null;
            switch (text[i])
            {
                case '\\' or '\'' or '"':
                    value.Append(text[i]);
                    break;
                case 't':
                    value.Append('\t');
                    break;
                case 'n':
                    value.Append('\n');
                    break;
                case 'r':
                    value.Append('\r');
                    break;
                case 'x' or 'u' or 'U':
                    var digits = text[i] switch { 'x' => 2, 'u' => 4, _ => 8 };
                    if (i + digits >= text.Length
                        || !int.TryParse(text.AsSpan(i + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                        || code is < 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
                        return null;
                    value.Append(char.ConvertFromUtf32(code));
                    i += digits;
                    break;
                default:
                    return null;
            }
        }
        return null;
    }
}
