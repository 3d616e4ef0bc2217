using System.Text;
using Eliloader.Formats.XmlRpc;

namespace Eliloader.Formats.Tests;

public sealed class XmlRpcTests
{
    private static object Read(string xml) => XmlRpcReader.ReadResponse(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

    private static string Response(string value) =>
        $"<?xml version=\"1.0\"?><methodResponse><params><param>{value}</param></params></methodResponse>";

    [Fact]
    public void Writes_a_method_call_with_every_value_kind()
    {
        var xml = Encoding.UTF8.GetString(XmlRpcWriter.WriteCall("VM.set_bootable", ["OpaqueRef:1", true, 7, new[] { "a<b" },
            new Dictionary<string, object> { ["k"] = "v&" }]));
        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><methodCall><methodName>VM.set_bootable</methodName><params>"
            + "<param><value><string>OpaqueRef:1</string></value></param>"
            + "<param><value><boolean>1</boolean></value></param>"
            + "<param><value><int>7</int></value></param>"
            + "<param><value><array><data><value><string>a&lt;b</string></value></data></array></value></param>"
            + "<param><value><struct><member><name>k</name><value><string>v&amp;</string></value></member></struct></value></param>"
            + "</params></methodCall>",
            xml);
    }

    [Theory]
    [InlineData("<value>OpaqueRef:abc</value>", "OpaqueRef:abc")]
    [InlineData("<value><string>OpaqueRef:abc</string></value>", "OpaqueRef:abc")]
    [InlineData("<value></value>", "")]
    [InlineData("<value/>", "")]
    [InlineData("<value><string/></value>", "")]
    [InlineData("<value> spaced </value>", " spaced ")]
    [InlineData("<value>a &amp; b</value>", "a & b")]
    public void Reads_strings_with_and_without_the_string_element(string value, string expected) =>
        Assert.Equal(expected, Read(Response(value)));

    [Fact]
    public void Reads_the_xapi_result_struct()
    {
        var result = (Dictionary<string, object>)Read(Response(
            "<value><struct><member><name>Status</name><value>Failure</value></member>"
            + "<member><name>ErrorDescription</name><value><array><data><value>UUID_INVALID</value><value>VM</value><value>x</value></data></array></value></member>"
            + "</struct></value>"));
        Assert.Equal("Failure", result["Status"]);
        Assert.Equal(["UUID_INVALID", "VM", "x"], (List<object>)result["ErrorDescription"]);
    }

    [Fact]
    public void Reads_booleans_ints_and_nested_structs()
    {
        var result = (Dictionary<string, object>)Read(Response(
            "<value><struct>\n <member>\n  <name>b</name>\n  <value><boolean>1</boolean></value>\n </member>\n"
            + " <member><name>i</name><value><int>-42</int></value></member>"
            + " <member><name>m</name><value><struct><member><name>x</name><value>y</value></member></struct></value></member>"
            + " <member><name>e</name><value><array><data/></array></value></member>"
            + "</struct></value>"));
        Assert.Equal(true, result["b"]);
        Assert.Equal(-42L, result["i"]);
        Assert.Equal("y", ((Dictionary<string, object>)result["m"])["x"]);
        Assert.Empty((List<object>)result["e"]);
    }

    [Theory]
    [InlineData("<value><boolean>yes</boolean></value>", "boolean 'yes'")]
    [InlineData("<value><base64>AA==</base64></value>", "unknown type 'base64'")]
    public void Rejects_values_it_cannot_read(string value, string message) =>
        Assert.Contains(message, Assert.Throws<InvalidDataException>(() => Read(Response(value))).Message);

    [Fact]
    public void Refuses_a_document_type_definition() =>
        Assert.ThrowsAny<System.Xml.XmlException>(() =>
            Read("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><methodResponse><params><param><value>&a;</value></param></params></methodResponse>"));

    [Fact]
    public void Refuses_deep_nesting()
    {
        var deep = string.Concat(Enumerable.Repeat("<value><array><data>", 40)) + "<value>x</value>" + string.Concat(Enumerable.Repeat("</data></array></value>", 40));
        Assert.Contains("nested too deeply", Assert.Throws<InvalidDataException>(() => Read(Response(deep))).Message);
    }

    [Fact]
    public void A_fault_is_an_error()
    {
        var fault = "<?xml version=\"1.0\"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>4</int></value></member></struct></value></fault></methodResponse>";
        Assert.Contains("faultCode=4", Assert.Throws<InvalidDataException>(() => Read(fault)).Message);
    }
}
