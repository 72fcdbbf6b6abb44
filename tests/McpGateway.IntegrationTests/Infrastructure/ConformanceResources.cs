using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>The resources of the conformance suite's resources-* scenarios: two direct ones, one template, one to watch.</summary>
internal static class ConformanceResources
{
    public static IEnumerable<McpServerResource> All() =>
    [
        McpServerResource.Create(
            () => Contents($$"""{"uri":"test://static-text","mimeType":"text/plain","text":"This is the content of the static text resource."}"""),
            new() { UriTemplate = "test://static-text", Name = "static-text", Description = "A static text resource", MimeType = "text/plain" }),
        McpServerResource.Create(
            () => Contents($$"""{"uri":"test://static-binary","mimeType":"image/png","blob":"{{ConformanceContentTools.RedPixelPng}}"}"""),
            new() { UriTemplate = "test://static-binary", Name = "static-binary", Description = "A static binary resource", MimeType = "image/png" }),
        McpServerResource.Create(
            () => Contents("""{"uri":"test://watched-resource","mimeType":"text/plain","text":"A resource clients subscribe to."}"""),
            new() { UriTemplate = "test://watched-resource", Name = "watched-resource", Description = "A resource to subscribe to", MimeType = "text/plain" }),
        McpServerResource.Create(
            (string id) => new ReadResourceResult
            {
                Contents = [new TextResourceContents { Uri = $"test://template/{id}/data", MimeType = "application/json", Text = $$"""{"id":"{{id}}","templateTest":true,"data":"Data for ID: {{id}}"}""" }],
            },
            new() { UriTemplate = "test://template/{id}/data", Name = "template-data", Description = "Data for an id", MimeType = "application/json" }),
    ];

    private static ReadResourceResult Contents(string contentsJson) => new() { Contents = [ConformanceJson.Read<ResourceContents>(contentsJson)] };
}
