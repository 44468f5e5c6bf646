using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmCost.Router.Handling;

namespace LlmCost.Router.Usage;

/// <summary>
/// Writes a usage record as one JSON line that is also a CloudWatch Embedded Metric Format event: the record's own
/// fields are the metrics and dimensions (no copies), so the analytics table and the metrics read the same figures.
/// Dimensions are the stack with each of model, route and app: values the configuration bounds, never client text,
/// because each distinct value is a billed custom metric.
/// </summary>
internal sealed class UsageRecordWriter(TextWriter output)
{
    public const string Namespace = "LlmCost";

    private static readonly (string Name, string Unit)[] Metrics =
    [
        ("costUsd", "None"), ("estimatedCostUsd", "None"), ("inputTokens", "Count"), ("outputTokens", "Count"),
        ("cacheReadTokens", "Count"), ("cacheWriteTokens", "Count"), ("latencyMs", "Milliseconds"), ("requests", "Count"),
    ];

    private static readonly string[][] DimensionSets = [["stack", "model"], ["stack", "route"], ["stack", "app"]];

    private readonly Lock _gate = new();

    public void Write(UsageRecord record)
    {
        var line = Encoding.UTF8.GetString(ToJson(record));
        lock (_gate)
        {
            // One line, written and flushed whole: Lambda turns each stdout line into one log event.
            output.Write(line + "\n");
            output.Flush();
        }
    }

    public static byte[] ToJson(UsageRecord r)
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
            foreach (var set in DimensionSets)
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
            foreach (var (name, unit) in Metrics)
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
            w.WriteString("requestId", r.RequestId);
            WriteOptional(w, "lambdaRequestId", r.LambdaRequestId);
            WriteOptional(w, "traceId", r.TraceId);
            w.WriteString("app", Dimension(r.App));
            w.WriteString("user", r.User);
            w.WriteString("httpMethod", r.HttpMethod);
            w.WriteString("path", r.Path);
            WriteOptional(w, "requestedModel", r.RequestedModel);
            w.WriteString("route", Dimension(r.Route));
            w.WriteString("model", Dimension(r.Model));
            WriteOptional(w, "backend", r.Backend);
            WriteOptional(w, "reason", r.Reason);
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
            WriteOptional(w, "errorParam", r.ErrorParam);
            WriteOptional(w, "errorMessage", r.ErrorMessage);
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
            WriteOptional(w, "finishReason", r.FinishReason);
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
            w.WriteString("priceSource", r.PriceSource);
            w.WriteString("priceAsOf", r.PriceAsOf);
            WriteOptional(w, "prompt", r.Prompt);
            WriteOptional(w, "completion", r.Completion);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
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
