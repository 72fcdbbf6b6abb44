using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using McpGateway.Forwarding;
using McpGateway.Policy;
using McpGateway.Protocol;
using McpGateway.RateLimiting;
using McpGateway.Sessions;
using Microsoft.Extensions.Options;

namespace McpGateway.Enforcement;

/// <summary>
/// Binds a multi-round-trip exchange (MCP 2026-07-28, <c>input_required</c> results) to the call that began it,
/// without a store (issue 21). The <c>requestState</c> of an <c>input_required</c> answer reaches the client inside
/// the gateway's own envelope, sealed as session ids are (AES-GCM under <c>Gateway:SessionKey</c>, HKDF labels of its
/// own): the grant and server, the method, a hash of the params, an expiry, and the upstream's own state (or its
/// absence), and a random id of the exchange. A retry that echoes the envelope is the same logical call: it is
/// policed again, but its limits and its approval were counted by the first round. An envelope opens once: its id is
/// claimed in the counter store (one use, until the envelope expires, failing closed), so a replay cannot run the
/// call again uncounted and unapproved. The upstream sees exactly the requestState it wrote.
/// </summary>
internal sealed class RequestStateBinding(SessionSealer sessions, ICounterStore counters, TimeProvider time, IOptions<GatewayOptions> options) : IAnswerSealer
{
    public const string Prefix = "mgr1.";

    /// <summary>
    /// Room for an upstream's own state (SDK servers seal theirs too): as much as a retry can carry, since a retry is
    /// bounded by <see cref="GatewayOptions.MaxRequestBytes"/> anyway; an envelope the gateway issues must be one it opens.
    /// </summary>
    private const int MinEnvelopeLength = 64 * 1024;

    /// <summary>Hex of 16 random bytes: the exchange's id, claimed once.</summary>
    private const int ExchangeIdLength = 32;

    /// <summary>One use of an envelope, failing closed when the store cannot say whether it was used.</summary>
    private static readonly PolicyLimit OneUse = new("requestState", 1, 1, LimitScope.Grant, null, StoreErrorMode.Deny);

    private readonly SessionSealer _sealer = sessions.Derive("request-state", Prefix, Math.Max(MinEnvelopeLength, options.Value.MaxRequestBytes));
    private readonly TimeSpan _maxAge = TimeSpan.FromSeconds(options.Value.InputRequiredMaxAgeSeconds);

    /// <summary>Whether <paramref name="message"/> is a retry that echoes a requestState.</summary>
    public static bool Carries(JsonRpcMessage message) =>
        message.Kind == JsonRpcMessageKind.Request && message.Params.ValueKind == JsonValueKind.Object &&
        message.Params.TryGetProperty("requestState"u8, out _);

    /// <summary>Whether an upstream answer is an <c>input_required</c> result.</summary>
    public bool Seals(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object &&
        message.TryGetProperty("result"u8, out var result) && result.ValueKind == JsonValueKind.Object &&
        result.TryGetProperty("resultType"u8, out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("input_required"u8);

    /// <summary>
    /// The retry as the upstream must see it, with its own requestState (or none), once its envelope is claimed; else the
    /// error and the reason: the envelope was not sealed by this gateway, was altered, belongs to another grant, server,
    /// method or params, expired, was used already, or its use could not be recorded.
    /// </summary>
    public async ValueTask<(JsonRpcMessage? Retry, GatewayError Error, string? Problem)> OpenAsync(string owner, JsonRpcMessage message, CancellationToken cancellationToken)
    {
        var retry = Unwrap(owner, message, out var problem, out var exchange, out var expires);
        if (retry is null)
        {
            return (null, GatewayError.InvalidRequestState, problem);
        }

        var now = time.GetUtcNow();
        var use = new LimitReservation("mrtr/" + exchange, "requestState", OneUse, now, DateTimeOffset.FromUnixTimeSeconds(expires + 1), 1);
        ReservationOutcome outcome;
        try
        {
            outcome = await counters.ReserveAsync([use], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A store that throws rather than saying it is unavailable is unavailable too: fail closed.
            retry.Dispose();
            return (null, GatewayError.RequestStateUnchecked, null);
        }

        if (outcome.Status == ReservationStatus.Reserved)
        {
            return (retry, GatewayError.None, null);
        }

        retry.Dispose();
        return outcome.Status == ReservationStatus.LimitExceeded
            ? (null, GatewayError.InvalidRequestState, "requestState was already used: start the call again")
            : (null, GatewayError.RequestStateUnchecked, null);
    }

    private JsonRpcMessage? Unwrap(string owner, JsonRpcMessage message, out string? problem, out string exchange, out long expires)
    {
        problem = "requestState was not issued by this gateway for this call";
        exchange = "";
        expires = 0;
        if (!message.Params.TryGetProperty("requestState"u8, out var echoed) || echoed.ValueKind != JsonValueKind.String ||
            !_sealer.TryUnseal(echoed.GetString()!, out var sealedOwner, out var payload) || sealedOwner != owner)
        {
            return null;
        }

        var fields = payload.Split('\n', 5);
        if (fields.Length != 5 || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out expires) ||
            fields[1] != message.Method || fields[2] != ParamsHash(message.Params) || fields[3].Length != ExchangeIdLength || fields[4].Length == 0)
        {
            return null;
        }

        if (time.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            problem = "requestState expired: start the call again";
            return null;
        }

        problem = null;
        exchange = fields[3];
        var upstreamState = fields[4][0] == '+' ? fields[4][1..] : null;
        return ParamsRewriter.WithParam(message, "requestState"u8, upstreamState);
    }

    /// <summary>Writes an <c>input_required</c> answer with its requestState sealed for the exchange's call.</summary>
    public void Write(Utf8JsonWriter writer, JsonElement answer, UpstreamExchange exchange)
    {
        var (owner, request) = (exchange.Owner, exchange.Message!);
        var result = answer.GetProperty("result"u8);
        var upstreamState = result.TryGetProperty("requestState"u8, out var state) && state.ValueKind == JsonValueKind.String ? state.GetString() : null;
        var expires = (time.GetUtcNow() + _maxAge).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var exchangeId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(ExchangeIdLength / 2));
        var envelope = _sealer.Seal(owner, $"{expires}\n{request.Method}\n{ParamsHash(request.Params)}\n{exchangeId}\n{(upstreamState is null ? "-" : "+" + upstreamState)}");

        writer.WriteStartObject();
        foreach (var property in answer.EnumerateObject())
        {
            if (!property.NameEquals("result"u8))
            {
                property.WriteTo(writer);
                continue;
            }

            writer.WritePropertyName(property.Name);
            writer.WriteStartObject();
            foreach (var member in result.EnumerateObject())
            {
                if (!member.NameEquals("requestState"u8))
                {
                    member.WriteTo(writer);
                }
            }

            // Always an envelope, even when the upstream kept no state: the retry must be recognisable as one.
            writer.WriteString("requestState"u8, envelope);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The call's identity across rounds: its params without what a round adds (the echoed state, the responses to
    /// the input requests, the per-request metadata), canonicalised and hashed.
    /// </summary>
    private static string ParamsHash(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            return CanonicalJson.Sha256Hex(parameters);
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var member in parameters.EnumerateObject())
            {
                if (!member.NameEquals("requestState"u8) && !member.NameEquals("inputResponses"u8) && !member.NameEquals("_meta"u8))
                {
                    member.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return CanonicalJson.Sha256Hex(document.RootElement);
    }
}
