using System.Text;
using System.Text.Json;

namespace McpGateway.Policy.Parsing;

/// <summary>
/// Reads UTF-8 JSON into a <see cref="LocatedJson"/> tree, strictly: no comments, no trailing commas,
/// bounded depth. Duplicate member names are not an error here but are reported through a callback
/// so the validator can collect them with every other problem.
/// </summary>
internal static class LocatedJsonReader
{
    private const int MaxDepth = 64;

    /// <summary>Parses <paramref name="utf8"/>; on a syntax error returns null and sets <paramref name="error"/>.</summary>
    public static LocatedJson? Read(
        ReadOnlySpan<byte> utf8,
        Action<string, LocatedProperty> onDuplicate,
        out PolicyProblem? error)
    {
        // Skip a UTF-8 byte order mark: editors on Windows write one and users should not have to care.
        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        // Utf8JsonReader throws a generic "does not contain any JSON tokens" (located at the end) rather than
        // returning false from its first Read, so an empty or blank file is recognised here.
        if (utf8.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            error = new PolicyProblem("$", "the document is empty", 1, 1);
            return null;
        }

        var lines = new LineMap(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            MaxDepth = MaxDepth,
        });

        try
        {
            reader.Read();
            var root = ReadValue(ref reader, utf8, lines, "$", onDuplicate);
            if (reader.Read())
            {
                var (line, column) = lines.Locate(utf8, (int)reader.TokenStartIndex);
                error = new PolicyProblem("$", "unexpected content after the document", line, column);
                return null;
            }

            error = null;
            return root;
        }
        catch (JsonException ex)
        {
            // The reader reports a zero-based line and a byte offset in it; columns elsewhere count characters.
            var (line, column) = lines.Locate(utf8, (int)(ex.LineNumber ?? 0), (int)(ex.BytePositionInLine ?? 0));
            error = new PolicyProblem("$", "invalid JSON: " + TrimPosition(ex.Message), line, column);
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // The reader does not validate string contents while tokenizing; GetString throws on invalid
            // UTF-8 or a lone surrogate escape ("\uD800"), which must be a problem like any other, not a crash.
            var (line, column) = lines.Locate(utf8, (int)reader.TokenStartIndex);
            error = new PolicyProblem("$", "invalid JSON: " + ex.Message.TrimEnd('.', ' '), line, column);
            return null;
        }
    }

    private static LocatedJson ReadValue(
        ref Utf8JsonReader reader,
        ReadOnlySpan<byte> utf8,
        LineMap lines,
        string path,
        Action<string, LocatedProperty> onDuplicate)
    {
        var (line, column) = lines.Locate(utf8, (int)reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var properties = new List<LocatedProperty>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var (nameLine, nameColumn) = lines.Locate(utf8, (int)reader.TokenStartIndex);
                    var name = reader.GetString()!;
                    reader.Read();
                    var value = ReadValue(ref reader, utf8, lines, PolicyPath.Member(path, name), onDuplicate);
                    var property = new LocatedProperty(name, value, nameLine, nameColumn);
                    if (seen.Add(name))
                    {
                        properties.Add(property);
                    }
                    else
                    {
                        onDuplicate(path, property);
                    }
                }

                return LocatedJson.Object(properties, line, column);

            case JsonTokenType.StartArray:
                var items = new List<LocatedJson>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, utf8, lines, PolicyPath.Index(path, items.Count), onDuplicate));
                }

                return LocatedJson.Array(items, line, column);

            case JsonTokenType.String:
                return LocatedJson.Scalar(LocatedJsonKind.String, reader.GetString(), line, column);
            case JsonTokenType.Number:
                return LocatedJson.Scalar(LocatedJsonKind.Number, Encoding.UTF8.GetString(reader.ValueSpan), line, column);
            case JsonTokenType.True:
                return LocatedJson.Scalar(LocatedJsonKind.True, null, line, column);
            case JsonTokenType.False:
                return LocatedJson.Scalar(LocatedJsonKind.False, null, line, column);
            default:
                return LocatedJson.Scalar(LocatedJsonKind.Null, null, line, column);
        }
    }

    private static string TrimPosition(string message)
    {
        // "... LineNumber: 3 | BytePositionInLine: 7." is repeated by our own (line, column) suffix.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    /// <summary>Maps byte offsets to 1-based line and character columns.</summary>
    private sealed class LineMap
    {
        private readonly List<int> _lineStarts = [0];

        public LineMap(ReadOnlySpan<byte> utf8)
        {
            for (var i = 0; i < utf8.Length; i++)
            {
                if (utf8[i] == (byte)'\n')
                {
                    _lineStarts.Add(i + 1);
                }
            }
        }

        public (int Line, int Column) Locate(ReadOnlySpan<byte> utf8, int zeroBasedLine, int bytePositionInLine)
        {
            var line = Math.Clamp(zeroBasedLine, 0, _lineStarts.Count - 1);
            return Locate(utf8, Math.Min(_lineStarts[line] + bytePositionInLine, utf8.Length));
        }

        public (int Line, int Column) Locate(ReadOnlySpan<byte> utf8, int offset)
        {
            var index = _lineStarts.BinarySearch(offset);
            var line = index >= 0 ? index : ~index - 1;
            var start = _lineStarts[line];
            return (line + 1, Encoding.UTF8.GetCharCount(utf8[start..offset]) + 1);
        }
    }
}
