using System.Text.Json;

namespace McpGateway.Cli.DecisionLog;

/// <summary>
/// What <c>mcpgw stats</c> and <c>mcpgw policy diff</c> share when they read a decision log: every line is opened
/// with <see cref="DecisionLine.Open"/>, lines that are not decision lines are passed over, and a line that starts
/// like JSON but does not parse, or a decision line the reader cannot use, is counted so the report can say so.
/// </summary>
internal abstract class DecisionLineReader
{
    public int Unreadable { get; private set; }

    public async Task ReadAsync(TextReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            Add(line);
        }
    }

    public void Add(string line)
    {
        if (DecisionLine.Open(line, out var unreadable) is not { } document)
        {
            Unreadable += unreadable ? 1 : 0;
            return;
        }

        using (document)
        {
            Unreadable += Take(document.RootElement) ? 0 : 1;
        }
    }

    /// <summary>Takes one decision line; false when it lacks what this reader needs, which counts it as unreadable.</summary>
    protected abstract bool Take(JsonElement decision);
}
