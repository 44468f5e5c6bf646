using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Router.Handling;
using S = LlmCost.CostModel.UsageRecordSchema;
using LlmCost.CostModel.Vocabulary;

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
            w.WriteStartObject(S.EmfEnvelope);
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

            w.WriteString(S.RecordType.Name, S.RecordTypeValue);
            w.WriteNumber(S.SchemaVersion.Name, S.Version);
            w.WriteString(S.Timestamp.Name, r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString(S.Stack.Name, Dimension(r.Stack));
            w.WriteString(S.RequestId.Name, Clip(r.RequestId, MaxShortTextChars));
            WriteOptional(w, S.LambdaRequestId.Name, Clip(r.LambdaRequestId, MaxShortTextChars));
            WriteOptional(w, S.TraceId.Name, Clip(r.TraceId, MaxShortTextChars));
            w.WriteString(S.App.Name, Dimension(r.App));
            w.WriteString(S.User.Name, Clip(r.User, MaxShortTextChars));
            w.WriteString(S.HttpMethod.Name, Clip(r.HttpMethod, 16));
            w.WriteString(S.Path.Name, Clip(r.Path, MaxShortTextChars));
            WriteOptional(w, S.RequestedModel.Name, Clip(r.RequestedModel, MaxShortTextChars));
            w.WriteString(S.Route.Name, Dimension(r.Route));
            w.WriteString(S.Model.Name, Dimension(r.Model));
            WriteOptional(w, S.Backend.Name, r.Backend);
            WriteOptional(w, S.Reason.Name, Clip(r.Reason, MaxLongTextChars));
            if (r.ComplexityScore is { } score)
            {
                w.WriteNumber(S.ComplexityScore.Name, score);
            }

            WriteOptional(w, S.FallbackFrom.Name, r.FallbackFrom);
            w.WriteNumber(S.Attempts.Name, r.Attempts);
            w.WriteStartArray(S.BackendFailures.Name);
            foreach (var failure in r.BackendFailures)
            {
                w.WriteStringValue(failure);
            }

            w.WriteEndArray();
            w.WriteNumber(S.Status.Name, r.Status);
            w.WriteString(S.Outcome.Name, r.Outcome.Name());
            WriteOptional(w, S.ErrorCode.Name, r.ErrorCode);
            WriteOptional(w, S.ErrorParam.Name, Clip(r.ErrorParam, MaxShortTextChars));
            WriteOptional(w, S.ErrorMessage.Name, Clip(r.ErrorMessage, MaxLongTextChars));
            WriteOptional(w, S.CountedInputTokens.Name, r.CountedInputTokens);
            if (r.CalibrationRatio is { } ratio)
            {
                w.WriteNumber(S.CalibrationRatio.Name, Math.Round(ratio, 4));
            }

            WriteOptional(w, S.EstimatedInputTokens.Name, r.EstimatedInputTokens);
            WriteOptional(w, S.MaxOutputTokens.Name, r.MaxOutputTokens);
            w.WriteNumber(S.EstimatedCostUsd.Name, r.EstimatedCostUsd);
            w.WriteNumber(S.InputTokens.Name, r.InputTokens);
            w.WriteNumber(S.OutputTokens.Name, r.OutputTokens);
            w.WriteNumber(S.CacheReadTokens.Name, r.CacheReadTokens);
            w.WriteNumber(S.CacheWriteTokens.Name, r.CacheWriteTokens);
            w.WriteNumber(S.CostUsd.Name, r.CostUsd);
            WriteOptional(w, S.FinishReason.Name, Clip(r.FinishReason, 64));
            WriteOptional(w, S.Stream.Name, r.Stream);
            if (r.TimeToFirstTokenMs is { } ttft)
            {
                w.WriteNumber(S.TimeToFirstTokenMs.Name, ttft);
            }

            if (r.ClientGone is { } gone)
            {
                w.WriteBoolean(S.ClientGone.Name, gone);
            }

            WriteOptional(w, S.StreamEnd.Name, r.StreamEnd?.Name() ?? r.StreamFailureReason);
            if (r.UsageEstimated is { } estimated)
            {
                w.WriteBoolean(S.UsageEstimated.Name, estimated);
            }

            w.WriteNumber(S.LatencyMs.Name, r.LatencyMs);
            if (r.BackendLatencyMs is { } backendLatency)
            {
                w.WriteNumber(S.BackendLatencyMs.Name, backendLatency);
            }

            w.WriteStartArray(S.LimitHits.Name);
            foreach (var hit in r.LimitHits)
            {
                w.WriteStringValue(hit);
            }

            w.WriteEndArray();
            w.WriteNumber(S.Requests.Name, 1);
            WriteOptional(w, S.BudgetCheck.Name, r.BudgetCheck);
            if (r.BudgetUsd is { } budget)
            {
                w.WriteNumber(S.BudgetUsd.Name, budget);
            }

            if (r.BudgetReservedUsd is { } reserved)
            {
                w.WriteNumber(S.BudgetReservedUsd.Name, reserved);
            }

            WriteOptional(w, S.BudgetSettle.Name, r.BudgetSettle);
            WriteOptional(w, S.BudgetStoreError.Name, r.BudgetStoreError);
            w.WriteString(S.PriceSource.Name, r.PriceSource);
            w.WriteString(S.PriceAsOf.Name, r.PriceAsOf);
            WriteOptional(w, S.Prompt.Name, Clip(r.Prompt, loggedTextChars));
            WriteOptional(w, S.Completion.Name, Clip(r.Completion, loggedTextChars));
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
