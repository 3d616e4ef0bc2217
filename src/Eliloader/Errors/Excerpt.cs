namespace Eliloader.Errors;

/// <summary>Text from a guest's disk or medium, quoted in an error message: cut short, so a hostile line cannot flood the toolstack's log.</summary>
public static class Excerpt
{
    private const int MaxLength = 200;

    public static string Of(string text) => text.Length > MaxLength ? text[..MaxLength] + "…" : text;
}
