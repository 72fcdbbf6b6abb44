using System.Text;

namespace McpGateway.Cli.Output;

/// <summary>Rows of cells printed in aligned columns, the first left-aligned as a key, numbers right-aligned.</summary>
internal sealed class TextTable(params string[] header)
{
    private readonly List<string[]> _rows = [header];

    public int Rows => _rows.Count - 1;

    public void Add(params string[] cells) => _rows.Add(cells);

    public override string ToString()
    {
        var widths = Enumerable.Range(0, _rows[0].Length).Select(i => _rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in _rows)
        {
            var line = string.Join("  ", row.Select((cell, i) => cell.Length > 0 && cell.All(char.IsAsciiDigit) ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i])));

            // Padding the last column would leave trailing blanks on every line.
            text.Append(line.TrimEnd(' ')).Append('\n');
        }

        return text.ToString();
    }
}
