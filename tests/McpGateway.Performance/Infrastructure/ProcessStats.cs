using System.Globalization;

namespace McpGateway.Performance.Infrastructure;

/// <summary>Memory and CPU of a process as Linux reports them in <c>/proc</c>.</summary>
internal static class ProcessStats
{
    /// <summary>Clock ticks per second of <c>/proc/PID/stat</c> times (USER_HZ, 100 on every Linux ABI .NET runs on).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>Resident set size now and at its peak (VmRSS, VmHWM), in bytes.</summary>
    public static (long Rss, long Peak) Memory(int pid = 0)
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines(pid == 0 ? "/proc/self/status" : $"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) * 1024;
            }
        }

        return (rss, peak);
    }

    /// <summary>User plus system CPU time another process has used, in seconds (10 ms resolution).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name (field 2) is in parentheses and may hold spaces: count fields after its close.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
}
