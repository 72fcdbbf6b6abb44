using System.Diagnostics;

namespace McpGateway.Testing;

/// <summary>
/// <c>moto_server</c> (moto, preinstalled in the machine's Python) on 127.0.0.1, serving SSM Parameter
/// Store and STS. Used for configuration and credential tests only, never for concurrency exactness (BRIEF.md).
/// </summary>
internal sealed class MotoServer : IAsyncDisposable
{
    public const string AccessKey = "moto";
    public const string SecretKey = "moto";
    public const string Region = "us-east-1";

    private readonly ManagedProcess _process;
    private string? _recordingFile;

    private MotoServer(ManagedProcess process, int port)
    {
        _process = process;
        Port = port;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri Endpoint { get; }

    /// <summary>The standard AWS settings that point the gateway, the CLI and the aws CLI at this server.</summary>
    public static Dictionary<string, string?> Environment(int port) => new()
    {
        ["AWS_ENDPOINT_URL_SSM"] = $"http://127.0.0.1:{port}",
        ["AWS_REGION"] = Region,
        ["AWS_DEFAULT_REGION"] = Region,
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
    };

    /// <param name="port">A fixed port, or null for a free one.</param>
    /// <param name="recording">Enable moto's request recorder (<see cref="RecordedRequestsAsync"/>): what the gateway sent, body included.</param>
    public static async Task<MotoServer> StartAsync(int? port = null, bool recording = false)
    {
        var chosen = port ?? Loopback.FreePort();

        // The recorder writes to a file, by default in the working directory (the repository): give it one of its own.
        var recordingFile = recording ? Path.Combine(Path.GetTempPath(), "moto-recording-" + Guid.NewGuid().ToString("N")) : null;
        var process = new ManagedProcess(
            "moto_server",
            ["-H", "127.0.0.1", "-p", chosen.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            recording ? new Dictionary<string, string?> { ["MOTO_ENABLE_RECORDING"] = "True", ["MOTO_RECORDER_FILEPATH"] = recordingFile } : null);
        await process.ReadyWhenListeningAsync(chosen, TimeSpan.FromSeconds(90));
        return new MotoServer(process, chosen) { _recordingFile = recordingFile };
    }

    /// <summary>Runs the real AWS CLI against this server (as a user would), returning its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> AwsAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("aws")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--endpoint-url");
        start.ArgumentList.Add(Endpoint.ToString());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Environment(Port))
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary><c>aws ssm put-parameter --overwrite</c>, failing the test when the CLI fails.</summary>
    public async Task PutAsync(string name, string value, string type = "String")
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, value);
        try
        {
            var (exit, output) = await AwsAsync("ssm", "put-parameter", "--name", name, "--type", type, "--value", "file://" + file, "--overwrite");
            if (exit != 0)
            {
                throw new InvalidOperationException($"aws ssm put-parameter {name} failed ({exit}): {output}");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The sessions moto's STS issued so far (one per AssumeRole call), from its state dump.</summary>
    public async Task<IReadOnlyList<System.Text.Json.JsonElement>> AssumedRolesAsync()
    {
        using var http = new HttpClient();
        using var state = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(Endpoint, "/moto-api/data.json")));
        return [.. state.RootElement.GetProperty("sts").GetProperty("AssumedRole").EnumerateArray().Select(r => r.Clone())];
    }

    /// <summary>Starts moto's recorder (the server must be started with <c>recording</c>).</summary>
    public async Task StartRecordingAsync()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(Endpoint, "/moto-api/recorder/start-recording"), null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The bodies of the requests moto recorded since <see cref="StartRecordingAsync"/>, decoded.</summary>
    public async Task<IReadOnlyList<string>> RecordedRequestsAsync()
    {
        using var http = new HttpClient();
        var lines = (await http.GetStringAsync(new Uri(Endpoint, "/moto-api/recorder/download-recording"))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var bodies = new List<string>();
        foreach (var line in lines)
        {
            using var record = System.Text.Json.JsonDocument.Parse(line);
            var body = record.RootElement.TryGetProperty("body", out var b) && b.ValueKind == System.Text.Json.JsonValueKind.String ? b.GetString()! : "";
            var encoded = record.RootElement.TryGetProperty("body_encoded", out var e) && e.ValueKind == System.Text.Json.JsonValueKind.True;
            bodies.Add(encoded ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(body)) : body);
        }

        return bodies;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        if (_recordingFile is not null)
        {
            File.Delete(_recordingFile);
        }
    }
}
