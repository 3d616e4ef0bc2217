using System.Globalization;
using System.Xml;

namespace Eliloader.Formats.XmlRpc;

/// <summary>
/// Reads an XML-RPC methodResponse into plain .NET values: string, int, bool,
/// double, List&lt;object&gt; for arrays and Dictionary&lt;string, object&gt; for structs.
/// A value without a type element is a string, as XAPI sends them.
/// </summary>
public static class XmlRpcReader
{
    private const int MaxDepth = 32;

    public static object ReadResponse(Stream input)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        using var xml = XmlReader.Create(input, settings);
        xml.MoveToContent();
        Expect(xml, "methodResponse");
        xml.ReadStartElement("methodResponse");
        SkipWhitespace(xml);
        if (xml.IsStartElement("fault"))
        {
            xml.ReadStartElement("fault");
            var fault = ReadValue(xml, 0);
            throw new InvalidDataException($"XML-RPC fault: {Describe(fault)}");
        }
        xml.ReadStartElement("params");
        SkipWhitespace(xml);
        xml.ReadStartElement("param");
        return ReadValue(xml, 0);
    }

    private static object ReadValue(XmlReader xml, int depth)
    {
        if (depth > MaxDepth)
            throw new InvalidDataException("XML-RPC value nested too deeply");
        SkipWhitespace(xml);
        Expect(xml, "value");
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return "";
        }
        xml.Read();
        if (xml.NodeType is XmlNodeType.Text or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace or XmlNodeType.CDATA or XmlNodeType.EndElement)
        {
            var untyped = xml.NodeType == XmlNodeType.EndElement ? "" : xml.ReadContentAsString();
            SkipWhitespace(xml);
            if (xml.NodeType == XmlNodeType.EndElement)
            {
                xml.ReadEndElement();
                return untyped;
            }
        }
        SkipWhitespace(xml);
        var type = xml.LocalName;
        object result = type switch
        {
            "string" => ReadText(xml),
            "int" or "i4" or "i8" => long.Parse(ReadText(xml), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
            "boolean" => ReadText(xml).Trim() switch
            {
                "1" => true,
                "0" => false,
                var other => throw new InvalidDataException($"XML-RPC boolean '{other}' is neither 0 nor 1"),
            },
            "double" => double.Parse(ReadText(xml), CultureInfo.InvariantCulture),
            "dateTime.iso8601" => ReadText(xml),
            "struct" => ReadStruct(xml, depth),
            "array" => ReadArray(xml, depth),
            _ => throw new InvalidDataException($"XML-RPC value of unknown type '{type}'"),
        };
        SkipWhitespace(xml);
        xml.ReadEndElement();
        return result;
    }

    private static string ReadText(XmlReader xml) =>
        xml.IsEmptyElement ? ReadEmpty(xml) : xml.ReadElementContentAsString();

    private static string ReadEmpty(XmlReader xml)
    {
        xml.Read();
        return "";
    }

    private static Dictionary<string, object> ReadStruct(XmlReader xml, int depth)
    {
        var members = new Dictionary<string, object>(StringComparer.Ordinal);
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return members;
        }
        xml.ReadStartElement("struct");
        SkipWhitespace(xml);
        while (xml.IsStartElement("member"))
        {
            xml.ReadStartElement("member");
            SkipWhitespace(xml);
            var name = xml.ReadElementContentAsString("name", "");
            members[name] = ReadValue(xml, depth + 1);
            SkipWhitespace(xml);
            xml.ReadEndElement();
            SkipWhitespace(xml);
        }
        xml.ReadEndElement();
        return members;
    }

    private static List<object> ReadArray(XmlReader xml, int depth)
    {
        var items = new List<object>();
        xml.ReadStartElement("array");
        SkipWhitespace(xml);
        if (xml.IsStartElement("data") && xml.IsEmptyElement)
        {
            xml.Read();
        }
        else
        {
            xml.ReadStartElement("data");
            SkipWhitespace(xml);
            while (xml.IsStartElement("value"))
            {
                items.Add(ReadValue(xml, depth + 1));
                SkipWhitespace(xml);
            }
            xml.ReadEndElement();
        }
        SkipWhitespace(xml);
        xml.ReadEndElement();
        return items;
    }

    private static void Expect(XmlReader xml, string element)
    {
        if (!xml.IsStartElement(element))
            throw new InvalidDataException($"XML-RPC: expected <{element}>, found {xml.NodeType} '{xml.LocalName}'");
    }

    private static void SkipWhitespace(XmlReader xml)
    {
        while (xml.NodeType is XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            xml.Read();
    }

    private static string Describe(object value) => value switch
    {
        Dictionary<string, object> members => string.Join(", ", members.Select(m => $"{m.Key}={Describe(m.Value)}")),
        List<object> items => "[" + string.Join(", ", items.Select(Describe)) + "]",
        _ => value.ToString() ?? "",
    };
}
