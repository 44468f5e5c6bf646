using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Router.Handling;

namespace LlmCost.Router.Usage;

/// <summary>
/// Writes a usage record as one JSON line that is also a CloudWatch Embedded Metric Format event: the record's own
/// fields are the metrics and dimensions (no copies), so the analytics table and the metrics read the same figures.
/// Dimensions are the stack alone and with each of model, route and app: values the configuration bounds, never client text,
/// because each distinct value is a billed custom metric.
/// </summary>
internal sealed class UsageRecordWriter(TextWriter output)
{
    // The EMF contract (namespace, metrics, dimension sets) is shared with the program's alarms and dashboard.
    public const string Namespace = UsageMetrics.Namespace;

    private readonly Lock _gate = new();

    /// <summary>
    /// A record line stays well under CloudWatch Logs' 256 KB event limit: every text field is clipped, and a line still
    /// over this (only possible with logged prompts full of characters JSON escapes) keeps a shorter clip of them.
    /// </summary>
    public const int MaxRecordBytes = 64 * 1024;

    public const int MaxLoggedTextChars = 8_192;
    public const int MaxShortTextChars = 256;
    public const int MaxLongTextChars = 2_048;

    public void Write(UsageRecord record)
    {
        var json = ToJson(record, MaxLoggedTextChars);
        if (json.Length > MaxRecordBytes)
        {
            json = ToJson(record, MaxLoggedTextChars / 8);
        }

        var line = Encoding.UTF8.GetString(json);
        lock (_gate)
        {
            // One line, written and flushed whole: Lambda turns each stdout line into one log event.
            output.Write(line + "\n");
            output.Flush();
        }
    }

    public static byte[] ToJson(UsageRecord r) => ToJson(r, MaxLoggedTextChars);

    private static byte[] ToJson(UsageRecord r, int loggedTextChars)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer, JsonOptions.Writer))
        {
            w.WriteStartObject();
            w.WriteStartObject("_aws");
            w.WriteNumber("Timestamp", r.Timestamp.ToUnixTimeMilliseconds());
            w.WriteStartArray("CloudWatchMetrics");
            w.WriteStartObject();
            w.WriteString("Namespace", Namespace);
            w.WriteStartArray("Dimensions");
            foreach (var set in UsageMetrics.DimensionSets)
            {
                w.WriteStartArray();
                foreach (var key in set)
                {
                    w.WriteStringValue(key);
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteStartArray("Metrics");
            foreach (var (name, unit) in UsageMetrics.All)
            {
                w.WriteStartObject();
                w.WriteString("Name", name);
                w.WriteString("Unit", unit);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteString("recordType", "llm-cost.usage");
            w.WriteNumber("schemaVersion", UsageRecord.SchemaVersion);
            w.WriteString("timestamp", r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("stack", Dimension(r.Stack));
            w.WriteString("requestId", Clip(r.RequestId, MaxShortTextChars));
            WriteOptional(w, "lambdaRequestId", Clip(r.LambdaRequestId, MaxShortTextChars));
            WriteOptional(w, "traceId", Clip(r.TraceId, MaxShortTextChars));
            w.WriteString("app", Dimension(r.App));
            w.WriteString("user", Clip(r.User, MaxShortTextChars));
            w.WriteString("httpMethod", Clip(r.HttpMethod, 16));
            w.WriteString("path", Clip(r.Path, MaxShortTextChars));
            WriteOptional(w, "requestedModel", Clip(r.RequestedModel, MaxShortTextChars));
            w.WriteString("route", Dimension(r.Route));
            w.WriteString("model", Dimension(r.Model));
            WriteOptional(w, "backend", r.Backend);
            WriteOptional(w, "reason", Clip(r.Reason, MaxLongTextChars));
            if (r.ComplexityScore is { } score)
            {
                w.WriteNumber("complexityScore", score);
            }

            WriteOptional(w, "fallbackFrom", r.FallbackFrom);
            w.WriteNumber("attempts", r.Attempts);
            w.WriteStartArray("backendFailures");
            foreach (var failure in r.BackendFailures)
            {
                w.WriteStringValue(failure);
            }

            w.WriteEndArray();
            w.WriteNumber("status", r.Status);
            w.WriteString("outcome", r.Outcome);
            WriteOptional(w, "errorCode", r.ErrorCode);
            WriteOptional(w, "errorParam", Clip(r.ErrorParam, MaxShortTextChars));
            WriteOptional(w, "errorMessage", Clip(r.ErrorMessage, MaxLongTextChars));
            WriteOptional(w, "countedInputTokens", r.CountedInputTokens);
            if (r.CalibrationRatio is { } ratio)
            {
                w.WriteNumber("calibrationRatio", Math.Round(ratio, 4));
            }

            WriteOptional(w, "estimatedInputTokens", r.EstimatedInputTokens);
            WriteOptional(w, "maxOutputTokens", r.MaxOutputTokens);
            w.WriteNumber("estimatedCostUsd", r.EstimatedCostUsd);
            w.WriteNumber("inputTokens", r.InputTokens);
            w.WriteNumber("outputTokens", r.OutputTokens);
            w.WriteNumber("cacheReadTokens", r.CacheReadTokens);
            w.WriteNumber("cacheWriteTokens", r.CacheWriteTokens);
            w.WriteNumber("costUsd", r.CostUsd);
            WriteOptional(w, "finishReason", Clip(r.FinishReason, 64));
            WriteOptional(w, "stream", r.Stream);
            if (r.TimeToFirstTokenMs is { } ttft)
            {
                w.WriteNumber("timeToFirstTokenMs", ttft);
            }

            if (r.ClientGone is { } gone)
            {
                w.WriteBoolean("clientGone", gone);
            }

            WriteOptional(w, "streamEnd", r.StreamEnd);
            if (r.UsageEstimated is { } estimated)
            {
                w.WriteBoolean("usageEstimated", estimated);
            }

            w.WriteNumber("latencyMs", r.LatencyMs);
            if (r.BackendLatencyMs is { } backendLatency)
            {
                w.WriteNumber("backendLatencyMs", backendLatency);
            }

            w.WriteStartArray("limitHits");
            foreach (var hit in r.LimitHits)
            {
                w.WriteStringValue(hit);
            }

            w.WriteEndArray();
            w.WriteNumber("requests", 1);
            WriteOptional(w, "budgetCheck", r.BudgetCheck);
            if (r.BudgetUsd is { } budget)
            {
                w.WriteNumber("budgetUsd", budget);
            }

            if (r.BudgetReservedUsd is { } reserved)
            {
                w.WriteNumber("budgetReservedUsd", reserved);
            }

            WriteOptional(w, "budgetSettle", r.BudgetSettle);
            WriteOptional(w, "budgetStoreError", r.BudgetStoreError);
            w.WriteString("priceSource", r.PriceSource);
            w.WriteString("priceAsOf", r.PriceAsOf);
            WriteOptional(w, "prompt", Clip(r.Prompt, loggedTextChars));
            WriteOptional(w, "completion", Clip(r.Completion, loggedTextChars));
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Clipped text says how much was cut, so a reader knows it is not the whole.</summary>
    private static string? Clip(string? text, int maxChars)
    {
        if (text is null || text.Length <= maxChars)
        {
            return text;
        }

        // Never cut a surrogate pair in half: a lone surrogate is not writable as UTF-8.
        var cut = char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{text.AsSpan(0, cut)}...[clipped {text.Length - cut} chars]");
    }

    /// <summary>EMF dimension values must be non-empty ASCII.</summary>
    private static string Dimension(string value)
    {
        if (value.Length == 0)
        {
            return UsageRecord.None;
        }

        foreach (var c in value)
        {
            if (c > 127 || char.IsControl(c))
            {
                return "invalid";
            }
        }

        return value;
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }
}
