using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace McpGateway.Testing;

/// <summary>
/// The one way the tests start an in-process ASP.NET Core app: slim, silent, on an ephemeral port of 127.0.0.1,
/// so parallel tests never collide on a port and nothing listens beyond the machine.
/// </summary>
internal static class LoopbackApp
{
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder;
    }

    /// <summary>Starts <paramref name="app"/> and returns the address Kestrel bound, ending in <c>/</c>.</summary>
    public static async Task<Uri> StartLoopbackAsync(this WebApplication app)
    {
        await app.StartAsync();
        return AddressOf(app);
    }

    public static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
}
