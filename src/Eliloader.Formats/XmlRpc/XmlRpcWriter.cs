using System.Text;
using System.Xml;

namespace Eliloader.Formats.XmlRpc;

/// <summary>
/// Writes an XML-RPC methodCall. Parameters are plain .NET values: string, int,
/// bool, IEnumerable of values (array) or IReadOnlyDictionary of string to value (struct).
/// </summary>
public static class XmlRpcWriter
{
    public static byte[] WriteCall(string method, IEnumerable<object> parameters)
    {
        var output = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false };
        using (var xml = XmlWriter.Create(output, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("methodCall");
            xml.WriteElementString("methodName", method);
            xml.WriteStartElement("params");
            foreach (var parameter in parameters)
            {
                xml.WriteStartElement("param");
                WriteValue(xml, parameter);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        return output.ToArray();
    }

    private static void WriteValue(XmlWriter xml, object value)
    {
        xml.WriteStartElement("value");
        switch (value)
        {
            case string text:
                xml.WriteElementString("string", text);
                break;
            case bool flag:
                xml.WriteElementString("boolean", flag ? "1" : "0");
                break;
            case int number:
                xml.WriteElementString("int", number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case IReadOnlyDictionary<string, object> members:
                xml.WriteStartElement("struct");
                foreach (var (name, member) in members)
                {
                    xml.WriteStartElement("member");
                    xml.WriteElementString("name", name);
                    WriteValue(xml, member);
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
                break;
            case System.Collections.IEnumerable items:
                xml.WriteStartElement("array");
                xml.WriteStartElement("data");
                foreach (var item in items)
                    WriteValue(xml, item!);
                xml.WriteEndElement();
                xml.WriteEndElement();
                break;
            default:
                throw new ArgumentException($"XML-RPC cannot carry a value of type {value.GetType().Name}");
        }
        xml.WriteEndElement();
    }
}
