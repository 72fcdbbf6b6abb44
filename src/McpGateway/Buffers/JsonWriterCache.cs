using System.Buffers;
using System.Text.Json;

namespace McpGateway.Buffers;

/// <summary>
/// One <see cref="Utf8JsonWriter"/> per thread for the gateway's synchronous JSON writes on the hot path: the
/// re-serialised request, the canonical arguments, the decision log line, a relayed answer or SSE event. Each
/// used to be a new writer, four or five per tools/call (issue 8: allocations per proxied call).
/// </summary>
/// <remarks>
/// A writer is rented, written, flushed and returned with no await in between, so a thread never hands out
/// the writer it has lent (a nested rent simply gets a new one). <see cref="Return"/> resets the writer, so it
/// keeps no reference to the output it wrote to.
/// </remarks>
internal static class JsonWriterCache
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_validating;

    [ThreadStatic]
    private static Utf8JsonWriter? t_unvalidated;

    /// <summary>A writer with default options (or, with <paramref name="skipValidation"/>, without structure checks) over <paramref name="output"/>.</summary>
    public static Utf8JsonWriter Rent(IBufferWriter<byte> output, bool skipValidation = false)
    {
        var writer = skipValidation ? t_unvalidated : t_validating;
        if (writer is null)
        {
            return new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = skipValidation });
        }

        if (skipValidation)
        {
            t_unvalidated = null;
        }
        else
        {
            t_validating = null;
        }

        writer.Reset(output);
        return writer;
    }

    /// <summary>Takes back a writer whose output was flushed; anything not flushed is discarded.</summary>
    public static void Return(Utf8JsonWriter writer)
    {
        writer.Reset();
        if (writer.Options.Encoder is not null || writer.Options.Indented)
        {
            // Not one of ours: a later renter expects the default output.
            writer.Dispose();
            return;
        }

        if (writer.Options.SkipValidation)
        {
            t_unvalidated = writer;
        }
        else
        {
            t_validating = writer;
        }
    }
}
