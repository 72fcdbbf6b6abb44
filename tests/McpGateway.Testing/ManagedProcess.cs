using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace McpGateway.Testing;

/// <summary>
/// A child process whose output lines are collected as they arrive, so tests can wait for a line
/// (readiness, a decision) with a deadline instead of sleeping. Killed with its children on dispose; only
/// processes started here are ever stopped.
/// </summary>
internal sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly int? _keepLines;

    // keepLines: keep only the last lines of each stream, enough to explain a failure, where a gateway under
    // load would otherwise grow its decision log without bound (the performance harness). Null keeps every line.
    public ManagedProcess(string fileName, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, string? workingDirectory = null, int? keepLines = null)
    {
        _keepLines = keepLines;
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Keep(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyCollection<string> StandardOutput => _stdout;

    public IReadOnlyCollection<string> StandardError => _stderr;

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>The last lines of output (stderr, then stdout), for a failure message.</summary>
    public string Tail(int lines = 30) => string.Join('\n', _stderr.TakeLast(lines).Concat(_stdout.TakeLast(lines)));

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits until a line of stdout or stderr matches, and returns the match.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var line in _stderr.Concat(_stdout))
            {
                var match = pattern.Match(line);
                if (match.Success)
                {
                    return match;
                }
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"no output line matched {pattern} within {timeout}; exited: {_process.HasExited}\nstderr:\n{string.Join('\n', _stderr.TakeLast(40))}\nstdout:\n{string.Join('\n', _stdout.TakeLast(20))}");
    }

    /// <summary>
    /// Waits for the line that says a server just started is ready, and returns its match. A process that does
    /// not get ready in time is killed here, so a failed start leaves no child behind.
    /// </summary>
    public Task<Match> ReadyWhenLineAsync(Regex pattern, TimeSpan timeout) => KilledUnlessAsync(() => WaitForLineAsync(pattern, timeout));

    /// <summary>As <see cref="ReadyWhenLineAsync"/>, for servers that print nothing when ready: waits until <paramref name="port"/> accepts connections.</summary>
    public Task ReadyWhenListeningAsync(int port, TimeSpan timeout) => KilledUnlessAsync(async () =>
    {
        await Loopback.WaitForPortAsync(port, this, timeout);
        return true;
    });

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private async Task<T> KilledUnlessAsync<T>(Func<Task<T>> ready)
    {
        try
        {
            return await ready();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        while (lines.Count > _keepLines && lines.TryDequeue(out _))
        {
        }
    }
}
