using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace McpGateway.Performance.Infrastructure;

/// <summary>
/// Gives the in-process gateways' decision log somewhere realistic to go. The gateway writes one line per
/// tools/call to file descriptor 1, as it does on Lambda, where standard output is a pipe the runtime reads.
/// Here file descriptor 1 is moved onto a pipe that a background thread drains (counting lines, so the run
/// can check that every proxied call was logged), while the harness's own report keeps the original
/// standard output through <see cref="Console.Out"/>. Without this the report would drown in decision lines,
/// and a terminal's rendering speed would decide the gateway's figures. The thread reads in batches unless
/// told otherwise (<see cref="DecisionLogReader"/>): a reader woken by every line made the line cost the
/// process 35-50 microseconds of CPU at concurrency 64, where the write itself costs a few.
/// </summary>
internal sealed partial class DecisionLogSink : IDisposable
{
    private const int StandardOutput = 1;

    private readonly int _savedStdout;
    private readonly FileStream _reader;
    private readonly Thread _drain;
    private long _lines;
    private long _bytes;

    private readonly bool _batched;

    private DecisionLogSink(int savedStdout, FileStream reader, bool batched)
    {
        _savedStdout = savedStdout;
        _reader = reader;
        _batched = batched;
        _drain = new Thread(Drain) { IsBackground = true, Name = "decision-log-drain" };
        _drain.Start();
    }

    /// <summary>Decision log lines written so far.</summary>
    public long Lines => Interlocked.Read(ref _lines);

    /// <summary>Decision log bytes written so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Must run before any gateway is built: the gateway opens standard output when its log is first resolved.</summary>
    public static unsafe DecisionLogSink Install(DecisionLogReader mode)
    {
        Console.Out.Flush();
        var saved = Check(Dup(StandardOutput), "dup");
        var report = new FileStream(new SafeFileHandle(saved, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        Console.SetOut(TextWriter.Synchronized(new StreamWriter(report, new UTF8Encoding(false)) { AutoFlush = true }));

        var fds = stackalloc int[2];
        Check(Pipe(fds), "pipe");
        Check(Dup2(fds[1], StandardOutput), "dup2");
        Check(Close(fds[1]), "close");
        return new DecisionLogSink(saved, new FileStream(new SafeFileHandle(fds[0], ownsHandle: true), FileAccess.Read, bufferSize: 0), mode == DecisionLogReader.Batched);
    }

    /// <summary>Waits until the line count stops growing (the last lines may still be in the pipe).</summary>
    public async Task<long> SettleAsync()
    {
        var last = -1L;
        for (var i = 0; i < 50 && Lines != last; i++)
        {
            last = Lines;
            await Task.Delay(100);
        }

        return Lines;
    }

    /// <summary>Puts the original standard output back on file descriptor 1.</summary>
    public void Dispose()
    {
        Console.Out.Flush();
        Dup2(_savedStdout, StandardOutput);
    }

    private void Drain()
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = _reader.Read(buffer)) > 0)
        {
            Interlocked.Add(ref _lines, buffer.AsSpan(0, read).Count((byte)'\n'));
            Interlocked.Add(ref _bytes, read);
            if (_batched)
            {
                // The pipe (64 KB) holds over 100 lines meanwhile; writers block only if it fills.
                Thread.Sleep(1);
            }
        }
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new InvalidOperationException($"{call} failed with errno {Marshal.GetLastPInvokeError()}");

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int fd, int target);

    [LibraryImport("libc", EntryPoint = "pipe", SetLastError = true)]
    private static unsafe partial int Pipe(int* fds);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
