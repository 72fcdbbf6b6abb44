using System.Collections.Frozen;

namespace McpGateway.Admin;

/// <summary>
/// The approver page's three files, embedded in the assembly (issue 22: no front-end build chain, nothing
/// on disk to deploy beside the binary). Read once, on the first request for the page.
/// </summary>
internal static class AdminPageAssets
{
    private static readonly Lazy<FrozenDictionary<string, (byte[] Body, string ContentType)>> Files = new(Load);

    /// <summary>The file named in the page's own URLs (<c>approvals.html</c>, <c>approvals.css</c>, <c>approvals.js</c>).</summary>
    public static (byte[] Body, string ContentType)? Find(string name) =>
        Files.Value.TryGetValue(name, out var file) ? file : null;

    private static FrozenDictionary<string, (byte[] Body, string ContentType)> Load()
    {
        var assembly = typeof(AdminPageAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var (name, contentType) in new[]
        {
            ("approvals.html", "text/html; charset=utf-8"),
            ("approvals.css", "text/css; charset=utf-8"),
            ("approvals.js", "text/javascript; charset=utf-8"),
        })
        {
            using var stream = assembly.GetManifestResourceStream("McpGateway.Admin.Assets." + name)
                ?? throw new InvalidOperationException($"the approver page file {name} is not embedded in the gateway assembly");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name] = (copy.ToArray(), contentType);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
