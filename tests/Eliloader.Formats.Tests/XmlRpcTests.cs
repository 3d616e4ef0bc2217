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

    private static string Nested(int arrays) =>
        string.Concat(Enumerable.Repeat("<value><array><data>", arrays)) + "<value>x</value>" + string.Concat(Enumerable.Repeat("</data></array></value>", arrays));

    [Fact]
    public void Reads_32_nested_arrays_and_refuses_33()
    {
        var value = Read(Response(Nested(32)));
        for (var i = 0; i < 32; i++)
            value = Assert.Single((List<object>)value);
        Assert.Equal("x", value);
        Assert.Equal("XML-RPC value nested too deeply", Assert.Throws<InvalidDataException>(() => Read(Response(Nested(33)))).Message);
    }

    [Fact]
    public void Nesting_through_structs_counts_too()
    {
        static string Structs(int count) =>
            string.Concat(Enumerable.Repeat("<value><struct><member><name>m</name>", count)) + "<value>x</value>" + string.Concat(Enumerable.Repeat("</member></struct></value>", count));
        var value = Read(Response(Structs(32)));
        for (var i = 0; i < 32; i++)
            value = ((Dictionary<string, object>)value)["m"];
        Assert.Equal("x", value);
        Assert.Equal("XML-RPC value nested too deeply", Assert.Throws<InvalidDataException>(() => Read(Response(Structs(33)))).Message);
    }

    [Theory]
    [InlineData("<value><i4>7</i4></value>", 7L)]
    [InlineData("<value><int>-42</int></value>", -42L)]
    [InlineData("<value><i8>-9000000000</i8></value>", -9_000_000_000L)]
    [InlineData("<value>\n <int>3</int>\n</value>", 3L)]
    public void Reads_every_integer_type_as_a_long(string value, long expected) =>
        Assert.Equal(expected, Read(Response(value)));

    [Theory]
    [InlineData("<value><double>1.5</double></value>", 1.5)]
    [InlineData("<value><double>-0.25</double></value>", -0.25)]
    public void Reads_doubles_with_a_point_whatever_the_culture(string value, double expected) =>
        Assert.Equal(expected, Read(Response(value)));

    [Theory]
    [InlineData("<value><boolean>0</boolean></value>", false)]
    [InlineData("<value><boolean> 1 </boolean></value>", true)]
    public void Reads_booleans(string value, bool expected) =>
        Assert.Equal(expected, Read(Response(value)));

    [Fact]
    public void Reads_a_date_as_its_text() =>
        Assert.Equal("20261201T12:00:00", Read(Response("<value><dateTime.iso8601>20261201T12:00:00</dateTime.iso8601></value>")));

    [Theory]
    [InlineData("<value><struct/></value>")]
    [InlineData("<value><struct></struct></value>")]
    [InlineData("<value><struct>\n</struct></value>")]
    public void Reads_an_empty_struct(string value) =>
        Assert.Empty((Dictionary<string, object>)Read(Response(value)));

    [Fact]
    public void Comments_and_processing_instructions_are_ignored_anywhere() =>
        Assert.Equal(5L, Read(Response("<value><!-- a count --><?pi x?><int>5</int></value>")));

    [Fact]
    public void An_empty_data_element_is_an_empty_array_and_what_follows_is_read()
    {
        var result = (Dictionary<string, object>)Read(Response(
            "<value><struct><member><name>e</name><value><array><data/></array></value></member>"
            + "<member><name>f</name><value><array><data></data></array></value></member>"
            + "<member><name>g</name><value>x</value></member></struct></value>"));
        Assert.Empty((List<object>)result["e"]);
        Assert.Empty((List<object>)result["f"]);
        Assert.Equal("x", result["g"]);
    }

    [Fact]
    public void Reads_an_array_of_mixed_values_with_whitespace_between()
    {
        var items = (List<object>)Read(Response("<value><array>\n <data>\n  <value>a</value>\n  <value><int>1</int></value>\n </data>\n</array></value>"));
        Assert.Equal(["a", 1L], items);
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\"?><methodCall/>", "XML-RPC: expected <methodResponse>, found Element 'methodCall'")]
    [InlineData("<?xml version=\"1.0\"?><methodResponse><params><param><string>x</string></param></params></methodResponse>", "XML-RPC: expected <value>, found Element 'string'")]
    public void Refuses_what_is_not_a_method_response(string xml, string message) =>
        Assert.Equal(message, Assert.Throws<InvalidDataException>(() => Read(xml)).Message);

    [Fact]
    public void A_fault_is_an_error_describing_its_value()
    {
        var fault = "<?xml version=\"1.0\"?><methodResponse><fault><value><struct>"
            + "<member><name>faultCode</name><value><int>4</int></value></member>"
            + "<member><name>faultString</name><value><array><data><value>SESSION_INVALID</value><value>x</value></data></array></value></member>"
            + "</struct></value></fault></methodResponse>";
        Assert.Equal("XML-RPC fault: faultCode=4, faultString=[SESSION_INVALID, x]", Assert.Throws<InvalidDataException>(() => Read(fault)).Message);
    }

    [Fact]
    public void Writes_lists_and_nested_structs_and_refuses_other_types()
    {
        var xml = Encoding.UTF8.GetString(XmlRpcWriter.WriteCall("m", [new List<object> { 1, new Dictionary<string, object> { ["a"] = false } }]));
        Assert.EndsWith(
            "<params><param><value><array><data><value><int>1</int></value><value><struct><member><name>a</name><value><boolean>0</boolean></value></member></struct></value></data></array></value></param></params></methodCall>",
            xml);
        Assert.Equal("XML-RPC cannot carry a value of type Double", Assert.Throws<ArgumentException>(() => XmlRpcWriter.WriteCall("m", [1.5])).Message);
    }

    [Fact]
    public void Writes_a_call_without_parameters() =>
        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><methodCall><methodName>session.logout</methodName><params /></methodCall>",
            Encoding.UTF8.GetString(XmlRpcWriter.WriteCall("session.logout", [])));
}
