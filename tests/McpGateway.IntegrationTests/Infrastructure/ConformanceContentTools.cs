using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The tools of the conformance suite's tools-call-* and json-schema-2020-12 scenarios whose answer is fixed
/// content: each returns exactly what its scenario's description documents.
/// </summary>
internal static class ConformanceContentTools
{
    /// <summary>A 1x1 red PNG, the "minimal test image" the scenarios ask for.</summary>
    public const string RedPixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

    /// <summary>Eight silent 16-bit mono samples at 8 kHz, the "minimal test audio file".</summary>
    private const string SilentWav = "UklGRjQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YRAAAAAAAAAAAAAAAAAAAAAAAAAA";

    public static IEnumerable<ConformanceTool> All() =>
    [
        Fixed("test_simple_text", "Returns simple text", """{"content":[{"type":"text","text":"This is a simple text response for testing."}]}"""),
        Fixed("test_image_content", "Returns an image", $$$"""{"content":[{"type":"image","data":"{{{RedPixelPng}}}","mimeType":"image/png"}]}"""),
        Fixed("test_audio_content", "Returns audio", $$$"""{"content":[{"type":"audio","data":"{{{SilentWav}}}","mimeType":"audio/wav"}]}"""),
        Fixed("test_embedded_resource", "Returns an embedded resource", """{"content":[{"type":"resource","resource":{"uri":"test://embedded-resource","mimeType":"text/plain","text":"This is an embedded resource content."}}]}"""),
        Fixed("test_multiple_content_types", "Returns text, an image and a resource", $$$"""
            {"content":[
              {"type":"text","text":"Multiple content types test:"},
              {"type":"image","data":"{{{RedPixelPng}}}","mimeType":"image/png"},
              {"type":"resource","resource":{"uri":"test://mixed-content-resource","mimeType":"application/json","text":"{\"test\":\"data\",\"value\":123}"}}]}
            """),
        Fixed("test_error_handling", "Always fails", """{"isError":true,"content":[{"type":"text","text":"This tool intentionally returns an error for testing"}]}"""),

        // SEP-1613 and SEP-2106: the schema must reach the client keyword for keyword, so it is written, not inferred.
        ConformanceTool.Define("""
            {"name":"json_schema_2020_12_tool","description":"Tool with JSON Schema 2020-12 features","inputSchema":{
              "$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
              "$defs":{"address":{"$anchor":"addressDef","type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}}},
              "properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"},"contactMethod":{"type":"string","enum":["phone","email"]},"phone":{"type":"string"},"email":{"type":"string"}},
              "allOf":[{"anyOf":[{"required":["phone"]},{"required":["email"]}]}],
              "if":{"properties":{"contactMethod":{"const":"phone"}},"required":["contactMethod"]},"then":{"required":["phone"]},"else":{"required":["email"]},
              "additionalProperties":false}}
            """, (_, _) => ValueTask.FromResult(ConformanceJson.Text("json_schema_2020_12_tool ran"))),

        // SEP-2243 (http-custom-header-server-validation): a parameter mirrored into an Mcp-Param-Region header,
        // which the SDK checks against the body; through the gateway it shows the header is forwarded intact.
        ConformanceTool.Define("""
            {"name":"test_header_parameter","description":"Echoes a parameter that travels in a header too","inputSchema":{"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"}},"required":["region"]}}
            """, (request, _) => ValueTask.FromResult(ConformanceJson.Text("region " + (request.Params?.Arguments?.TryGetValue("region", out var region) == true ? region.ToString() : "")))),
    ];

    private static ConformanceTool Fixed(string name, string description, string resultJson)
    {
        var result = ConformanceJson.Read<CallToolResult>(resultJson);
        return ConformanceTool.NoArguments(name, description, (_, _) => ValueTask.FromResult(result));
    }
}
