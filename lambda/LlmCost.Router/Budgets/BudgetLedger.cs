using System.Buffers;
using System.Globalization;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Router.Backends;
using LlmCost.Router.Chat;
using LlmCost.Router.Usage;

namespace LlmCost.Router.Budgets;

/// <summary>
/// Each app's month-to-date spend in DynamoDB, one item per app and month (<c>pk</c> = <c>stack#app#yyyy-MM</c>), so
/// every execution environment shares it. Before a call the worst-case cost is reserved with one conditional write
/// (<c>committedUsd</c> = spent + reserved must stay within the budget: DynamoDB conditions cannot add, so the sum is
/// kept as its own attribute and compared with budget minus the reservation); after the call the real cost is settled
/// and the rest released. Concurrent requests therefore cannot overshoot: each write sees every earlier one.
/// </summary>
internal sealed class BudgetLedger(DynamoDbClient? db, RouterConfiguration config, TimeProvider time)
{
    /// <summary>Old periods expire this long after they end (DynamoDB TTL on <c>expiresAt</c>).</summary>
    public static readonly TimeSpan KeepAfterPeriod = TimeSpan.FromDays(400);

    public async Task<BudgetReservation> ReserveAsync(AppConfiguration app, decimal worstCaseUsd, UsageRecord record, CancellationToken cancellationToken)
    {
        if (app.MonthlyBudgetUsd is not { } budget || db is null || config.Budgets is null)
        {
            record.BudgetCheck = "none";
            return BudgetReservation.None;
        }

        var now = time.GetUtcNow();
        var period = new BudgetPeriod(config.Stack, app.Name, budget, now);
        record.BudgetUsd = budget;
        var reservation = new BudgetReservation(this, period, record);
        await reservation.TopUpAsync(worstCaseUsd, cancellationToken);
        record.BudgetCheck = record.BudgetCheck ?? "reserved";
        return reservation;
    }

    /// <summary>Adds <paramref name="amount"/> to the reservation if spent + reserved + amount stays within the budget.</summary>
    internal async Task<bool> TryReserveAsync(BudgetPeriod period, decimal amount, CancellationToken cancellationToken)
    {
        var limit = period.BudgetUsd - amount;
        if (limit < 0)
        {
            return false;
        }

        var body = Request(w =>
        {
            Key(w, period);
            w.WriteString("UpdateExpression", "SET expiresAt = if_not_exists(expiresAt, :ttl), budgetUsd = :budget ADD committedUsd :amount, reservedUsd :amount");
            w.WriteString("ConditionExpression", "attribute_not_exists(committedUsd) OR committedUsd <= :limit");
            w.WriteStartObject("ExpressionAttributeValues");
            Number(w, ":ttl", period.ExpiresAt.ToUnixTimeSeconds());
            Number(w, ":budget", period.BudgetUsd);
            Number(w, ":amount", amount);
            Number(w, ":limit", limit);
            w.WriteEndObject();
        });
        var reply = await db!.SendAsync("UpdateItem", body, cancellationToken);
        if (DynamoDbClient.IsOk(reply))
        {
            return true;
        }

        var (code, _, _) = AwsErrors.Read(reply.Headers, reply.Body);
        return code == "ConditionalCheckFailedException" ? false : throw new BudgetStoreException(code.Length > 0 ? code : $"http_{(int)reply.Status}");
    }

    /// <summary>Moves <paramref name="reserved"/> out of the reservation and <paramref name="costUsd"/> into the spend.</summary>
    internal async Task SettleAsync(BudgetPeriod period, decimal reserved, decimal costUsd, bool answered)
    {
        var body = Request(w =>
        {
            Key(w, period);
            w.WriteString("UpdateExpression", answered
                ? "ADD committedUsd :delta, reservedUsd :release, spentUsd :cost, settledRequests :one"
                : "ADD committedUsd :delta, reservedUsd :release");
            w.WriteStartObject("ExpressionAttributeValues");
            Number(w, ":delta", costUsd - reserved);
            Number(w, ":release", -reserved);
            if (answered)
            {
                Number(w, ":cost", costUsd);
                Number(w, ":one", 1);
            }

            w.WriteEndObject();
        });
        // Not the request's token: settling runs after the answer whatever the request's state (the store call has its own timeout).
        var reply = await db!.SendAsync("UpdateItem", body, CancellationToken.None);
        if (!DynamoDbClient.IsOk(reply))
        {
            var (code, _, _) = AwsErrors.Read(reply.Headers, reply.Body);
            throw new BudgetStoreException(code.Length > 0 ? code : $"http_{(int)reply.Status}");
        }
    }

    /// <summary>The month's figures for a refusal's message; null when they cannot be read.</summary>
    internal async Task<(decimal Spent, decimal Reserved)?> ReadAsync(BudgetPeriod period, CancellationToken cancellationToken)
    {
        try
        {
            var body = Request(w =>
            {
                Key(w, period);
                w.WriteBoolean("ConsistentRead", true);
            });
            var reply = await db!.SendAsync("GetItem", body, cancellationToken);
            if (!DynamoDbClient.IsOk(reply))
            {
                return null;
            }

            using var document = JsonDocument.Parse(reply.Body);
            if (!document.RootElement.TryGetProperty("Item", out var item))
            {
                return (0m, 0m);
            }

            return (ReadNumber(item, "spentUsd"), ReadNumber(item, "reservedUsd"));
        }
        catch (Exception e) when (e is BudgetStoreException or JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    internal string WhenUnavailable => config.Budgets?.WhenUnavailable ?? BudgetStoreConfiguration.Refuse;

    private byte[] Request(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("TableName", config.Budgets!.TableName);
            write(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Key(Utf8JsonWriter w, BudgetPeriod period)
    {
        w.WriteStartObject("Key");
        w.WriteStartObject(BudgetStoreConfiguration.PartitionKey);
        w.WriteString("S", period.Key);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, decimal value)
    {
        w.WriteStartObject(name);
        w.WriteString("N", value.ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    private static decimal ReadNumber(JsonElement item, string name) =>
        item.TryGetProperty(name, out var attribute) && attribute.TryGetProperty("N", out var n)
            ? decimal.Parse(n.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
            : 0m;
}

/// <summary>One app's budget month: the item key, when it resets (the first instant of the next UTC month), when it expires.</summary>
internal sealed record BudgetPeriod(string Stack, string App, decimal BudgetUsd, DateTimeOffset Now)
{
    public DateTimeOffset Start { get; } = new(Now.UtcDateTime.Year, Now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);

    public DateTimeOffset ResetsAt => Start.AddMonths(1);

    public DateTimeOffset ExpiresAt => ResetsAt + BudgetLedger.KeepAfterPeriod;

    public string Key => $"{Stack}#{App}#{Start:yyyy-MM}";
}

/// <summary>A request refused for its app's budget (429 budget_exceeded); carries when the budget resets.</summary>
internal sealed class BudgetExceededException(RequestError error, DateTimeOffset resetsAt) : Exception(error.Message)
{
    public RequestError Error { get; } = error;

    public DateTimeOffset ResetsAt { get; } = resetsAt;
}
