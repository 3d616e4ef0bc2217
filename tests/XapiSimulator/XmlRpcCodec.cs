using System.Security;
using System.Text;
using System.Xml.Linq;

namespace XapiSimulator;

/// <summary>XML-RPC as XAPI speaks it, written independently of eliloader's own codec.</summary>
public static class XmlRpcCodec
{
    public static (string Method, List<object> Params) ParseCall(byte[] body)
    {
        var document = XDocument.Parse(Encoding.UTF8.GetString(body));
        var call = document.Root ?? throw new FormatException("empty request");
        var method = call.Element("methodName")?.Value ?? throw new FormatException("no methodName");
        var parameters = call.Element("params")?.Elements("param")
            .Select(p => ParseValue(p.Element("value") ?? throw new FormatException("param without value")))
            .ToList() ?? [];
        return (method, parameters);
    }

    private static object ParseValue(XElement value)
    {
        var typed = value.Elements().FirstOrDefault();
        if (typed is null)
            return value.Value;
        return typed.Name.LocalName switch
        {
            "string" => typed.Value,
            "int" or "i4" => long.Parse(typed.Value),
            "boolean" => typed.Value.Trim() == "1",
            "double" => double.Parse(typed.Value, System.Globalization.CultureInfo.InvariantCulture),
            "struct" => typed.Elements("member").ToDictionary(
                m => m.Element("name")!.Value,
                m => ParseValue(m.Element("value")!)),
            "array" => typed.Element("data")!.Elements("value").Select(ParseValue).ToList(),
            var other => throw new FormatException($"unknown XML-RPC type {other}"),
        };
    }

    public static string Success(object value, bool stringTags) =>
        Response($"<struct><member><name>Status</name><value>Success</value></member><member><name>Value</name>{Value(value, stringTags)}</member></struct>");

    public static string Failure(IReadOnlyList<string> error, bool stringTags) =>
        Response($"<struct><member><name>Status</name><value>Failure</value></member><member><name>ErrorDescription</name>{Value(error.Cast<object>().ToList(), stringTags)}</member></struct>");

    private static string Response(string inner) =>
        $"<?xml version=\"1.0\"?><methodResponse><params><param><value>{inner}</value></param></params></methodResponse>";

    private static string Value(object value, bool stringTags) => value switch
    {
        string text => stringTags ? $"<value><string>{SecurityElement.Escape(text)}</string></value>" : $"<value>{SecurityElement.Escape(text)}</value>",
        bool flag => $"<value><boolean>{(flag ? 1 : 0)}</boolean></value>",
        long or int => $"<value><int>{value}</int></value>",
        IReadOnlyDictionary<string, string> map => "<value><struct>" + string.Concat(map.Select(m => $"<member><name>{SecurityElement.Escape(m.Key)}</name>{Value(m.Value, stringTags)}</member>")) + "</struct></value>",
        System.Collections.IEnumerable items => "<value><array><data>" + string.Concat(items.Cast<object>().Select(i => Value(i, stringTags))) + "</data></array></value>",
        _ => throw new ArgumentException($"cannot encode {value.GetType()}"),
    };

    public static string Render(object value) => value switch
    {
        bool flag => flag ? "true" : "false",
        IDictionary<string, object> map => "{" + string.Join(", ", map.Select(m => $"{m.Key}: {Render(m.Value)}")) + "}",
        List<object> items => "[" + string.Join(", ", items.Select(Render)) + "]",
        _ => value.ToString() ?? "",
    };
}
