using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace McpGateway.Approvals;

/// <summary>
/// Approvals in the gateway's DynamoDB table, next to the counters (issue 7). Two items per approval:
/// <c>apf#&lt;fingerprint&gt;</c> holds its state and is what every transition conditionally updates, so
/// two concurrent retries cannot both consume one approval; <c>apr#&lt;id&gt;</c> points from the id people
/// use to the fingerprint. TTL removes both a day after the approval expires; correctness never waits on it.
/// </summary>
internal sealed class DynamoDbApprovalStore(IAmazonDynamoDB client, string table) : IApprovalStore
{
    private const string StatePrefix = "apf#";
    private const string IdPrefix = "apr#";
    private static readonly TimeSpan TtlGrace = TimeSpan.FromDays(1);

    public async Task<ApprovalRecord?> FindByFingerprintAsync(string fingerprint, CancellationToken cancellationToken)
    {
        var item = await client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(StatePrefix + fingerprint), ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
        return item.Item is { Count: > 0 } found ? Read(found) : null;
    }

    public async Task<ApprovalRecord?> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        var pointer = await client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(IdPrefix + id), ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
        if (pointer.Item is not { Count: > 0 } found || !found.TryGetValue("fingerprint", out var fingerprint))
        {
            return null;
        }

        var record = await FindByFingerprintAsync(fingerprint.S, cancellationToken).ConfigureAwait(false);
        return record?.Id == id ? record : null;
    }

    public async Task<bool> CreatePendingAsync(ApprovalRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ttl = Number((record.ExpiresAt + TtlGrace).ToUnixTimeSeconds());

        // The pointer first: an orphaned pointer is harmless, an approval nobody can address is not.
        await client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new() { ["pk"] = S(IdPrefix + record.Id), ["fingerprint"] = S(record.Fingerprint), ["expires_at"] = ttl },
        }, cancellationToken).ConfigureAwait(false);

        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = Write(record, ttl),
                ConditionExpression = "attribute_not_exists(pk) OR #status = :consumed OR approval_expires_at <= :now",
                ExpressionAttributeNames = new() { ["#status"] = "status" },
                ExpressionAttributeValues = new() { [":consumed"] = S(ApprovalStatuses.Consumed), [":now"] = Number(now.ToUnixTimeMilliseconds()) },
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task<ApprovalRecord?> DecideAsync(string id, bool approve, string admin, string? note, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pointer = await client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(IdPrefix + id), ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
        if (pointer.Item is not { Count: > 0 } found || !found.TryGetValue("fingerprint", out var fingerprint))
        {
            return null;
        }

        var values = new Dictionary<string, AttributeValue>
        {
            [":id"] = S(id),
            [":pending"] = S(ApprovalStatuses.Pending),
            [":now"] = Number(now.ToUnixTimeMilliseconds()),
            [":status"] = S(approve ? ApprovalStatuses.Approved : ApprovalStatuses.Rejected),
            [":by"] = S(admin),
            [":at"] = S(now.ToString("O", CultureInfo.InvariantCulture)),
        };
        var update = "SET #status = :status, decided_by = :by, decided_at = :at";
        if (!string.IsNullOrEmpty(note))
        {
            values[":note"] = S(note);
            update += ", note = :note";
        }

        try
        {
            var result = await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table,
                Key = Key(StatePrefix + fingerprint.S),
                UpdateExpression = update,
                ConditionExpression = "id = :id AND #status = :pending AND approval_expires_at > :now",
                ExpressionAttributeNames = new() { ["#status"] = "status" },
                ExpressionAttributeValues = values,
                ReturnValues = ReturnValue.ALL_NEW,
            }, cancellationToken).ConfigureAwait(false);
            return Read(result.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    public async Task<bool> ConsumeAsync(ApprovalRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table,
                Key = Key(StatePrefix + record.Fingerprint),
                UpdateExpression = "SET #status = :consumed",
                ConditionExpression = "id = :id AND #status = :approved AND approval_expires_at > :now",
                ExpressionAttributeNames = new() { ["#status"] = "status" },
                ExpressionAttributeValues = new()
                {
                    [":id"] = S(record.Id),
                    [":approved"] = S(ApprovalStatuses.Approved),
                    [":consumed"] = S(ApprovalStatuses.Consumed),
                    [":now"] = Number(now.ToUnixTimeMilliseconds()),
                },
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>
    /// A filtered scan: approvals are few and listing them is an operator's action, not the request path,
    /// so the table needs no index for it.
    /// </summary>
    public async Task<IReadOnlyList<ApprovalRecord>> ListPendingAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var records = new List<ApprovalRecord>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest
            {
                TableName = table,
                FilterExpression = "begins_with(pk, :prefix) AND #status = :pending AND approval_expires_at > :now",
                ExpressionAttributeNames = new() { ["#status"] = "status" },
                ExpressionAttributeValues = new() { [":prefix"] = S(StatePrefix), [":pending"] = S(ApprovalStatuses.Pending), [":now"] = Number(now.ToUnixTimeMilliseconds()) },
                ExclusiveStartKey = start,
                ConsistentRead = true,
            }, cancellationToken).ConfigureAwait(false);
            records.AddRange((page.Items ?? []).Select(Read));
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);

        return [.. records.OrderBy(r => r.CreatedAt)];
    }

    private static Dictionary<string, AttributeValue> Write(ApprovalRecord record, AttributeValue ttl)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["pk"] = S(StatePrefix + record.Fingerprint),
            ["id"] = S(record.Id),
            ["status"] = S(record.Status),
            ["grant"] = S(record.Grant),
            ["server"] = S(record.Server),
            ["tool"] = S(record.Tool),
            ["argument_keys"] = new AttributeValue { L = [.. record.ArgumentKeys.Select(S)] },
            ["arguments_sha256"] = S(record.ArgumentsSha256),
            ["created_at"] = S(record.CreatedAt.ToString("O", CultureInfo.InvariantCulture)),
            ["approval_expires_at"] = Number(record.ExpiresAt.ToUnixTimeMilliseconds()),
            ["expires_at"] = ttl,
        };
        if (record.Arguments is { } arguments)
        {
            item["arguments"] = S(arguments.GetRawText());
        }

        if (record.ArgumentsTooLarge is true)
        {
            item["arguments_too_large"] = new AttributeValue { BOOL = true };
        }

        foreach (var (name, value) in new[] { ("policy", record.Policy), ("policy_version", record.PolicyVersion), ("rule", record.Rule) })
        {
            if (value is not null)
            {
                item[name] = S(value);
            }
        }

        return item;
    }

    private static ApprovalRecord Read(Dictionary<string, AttributeValue> item) => new()
    {
        Fingerprint = item["pk"].S[StatePrefix.Length..],
        Id = item["id"].S,
        Status = item["status"].S,
        Grant = item["grant"].S,
        Server = item["server"].S,
        Tool = item["tool"].S,
        ArgumentKeys = [.. (item.TryGetValue("argument_keys", out var keys) ? keys.L ?? [] : []).Select(v => v.S)],
        ArgumentsSha256 = item["arguments_sha256"].S,
        Arguments = Optional(item, "arguments") is { } arguments ? ParseArguments(arguments) : null,
        ArgumentsTooLarge = item.TryGetValue("arguments_too_large", out var tooLarge) && tooLarge.BOOL == true ? true : null,
        Policy = Optional(item, "policy"),
        PolicyVersion = Optional(item, "policy_version"),
        Rule = Optional(item, "rule"),
        CreatedAt = DateTimeOffset.Parse(item["created_at"].S, CultureInfo.InvariantCulture),
        ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(item["approval_expires_at"].N, CultureInfo.InvariantCulture)),
        DecidedBy = Optional(item, "decided_by"),
        DecidedAt = Optional(item, "decided_at") is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null,
        Note = Optional(item, "note"),
    };

    private static JsonElement ParseArguments(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static string? Optional(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out var value) ? value.S : null;

    private static Dictionary<string, AttributeValue> Key(string pk) => new() { ["pk"] = S(pk) };

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
