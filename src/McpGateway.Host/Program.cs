using McpGateway.Hosting;
using McpGateway.Startup;
using Microsoft.Extensions.Logging.Console;

// First of all: the gateway's own start-up and per-call code runs once on sample data on the other core
// while the host builds (issue 8: cold start). It has no effect outside the process; see GatewayWarmup.
// Read from the environment because configuration is not built yet; Gateway__Warmup=false turns it off.
if (!string.Equals(Environment.GetEnvironmentVariable("Gateway__Warmup"), "false", StringComparison.OrdinalIgnoreCase))
{
    _ = GatewayWarmup.Start();
}

var builder = WebApplication.CreateSlimBuilder(args);

// `--config FILE` is the documented way to point a local gateway at its configuration (issue 3).
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--config"] = "Gateway:ConfigFile",
    ["--ssm-prefix"] = "Gateway:Ssm:Prefix",
});

// Standard output carries the decision log, one JSON line per tool call; operational logs go to
// standard error so the two never mix.
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

builder.Services.AddMcpGateway(builder.Configuration);

var app = builder.Build();
app.MapMcpGateway();
app.MapMcpGatewayAdmin();
app.Run();

/// <summary>The gateway's entry point; public for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
