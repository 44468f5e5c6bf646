using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmCost.CostModel;

namespace LlmCost.Router.Chat;

/// <summary>
/// Validates an OpenAI chat-completions body field by field. Every refusal names the field (<c>messages[2].content</c>)
/// and is a 4xx: a client's mistake never becomes a 5xx. Unknown fields are ignored, as OpenAI-compatible servers do,
/// so clients that send <c>seed</c> or <c>metadata</c> keep working; fields whose meaning the router cannot honour
/// (tools, images, audio, JSON modes, log probabilities, n &gt; 1) are refused rather than silently dropped.
/// </summary>
internal static class ChatRequestParser
{
    /// <summary>A sanity bound on <c>max_tokens</c>: above it the value is a mistake, not a wish to be capped.</summary>
    public const int MaxTokensCeiling = 1_000_000;

    public const int MaxModelNameChars = 256;
    public const int MaxUserChars = 256;
    public const int MaxStopSequences = 4;

    private static readonly HashSet<string> Roles = new(StringComparer.Ordinal) { "system", "developer", "user", "assistant" };
    private static readonly string[] UnsupportedFeatures = ["tools", "tool_choice", "functions", "function_call"];

    public static ChatRequest Parse(ReadOnlyMemory<byte> body, RequestLimits limits)
    {
        if (body.IsEmpty)
        {
            throw Fail(RequestError.Invalid("body", "a JSON object is required"));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            throw Fail(RequestError.Invalid("body", $"not valid JSON{where}"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Fail(RequestError.Invalid("body", $"expected a JSON object, got {Describe(root)}"));
            }

            RequireReadableKeys(body.Span);
            Unsupported(root);
            foreach (var name in UnsupportedFeatures)
            {
                if (root.TryGetProperty(name, out var feature) && feature.ValueKind != JsonValueKind.Null)
                {
                    throw Fail(RequestError.Invalid(name, "tool and function calling are not supported by this router"));
                }
            }

            var model = RequiredString(root, "model", MaxModelNameChars);
            var messages = Messages(root, limits);
            var maxTokens = MaxTokens(root);
            var temperature = OptionalNumber(root, "temperature", 0, 2);
            var topP = OptionalNumber(root, "top_p", 0, 1);
            var stop = Stop(root);
            var user = OptionalString(root, "user", MaxUserChars);

            var streamed = OptionalBoolean(root, "stream");
            var includeUsage = false;
            if (root.TryGetProperty("stream_options", out var options) && options.ValueKind != JsonValueKind.Null)
            {
                if (!streamed)
                {
                    throw Fail(RequestError.Invalid("stream_options", "only allowed when stream is true"));
                }

                if (options.ValueKind != JsonValueKind.Object)
                {
                    throw Fail(RequestError.Invalid("stream_options", $"expected an object, got {Describe(options)}"));
                }

                includeUsage = OptionalBoolean(options, "include_usage", "stream_options.include_usage");
            }

            if (root.TryGetProperty("n", out var n) && n.ValueKind != JsonValueKind.Null && !(n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var count) && count == 1))
            {
                throw Fail(RequestError.Invalid("n", $"only 1 choice is supported, got {Describe(n)}"));
            }

            return new ChatRequest(model, messages, maxTokens, temperature, topP, stop, user, streamed, includeUsage);
        }
    }

    /// <summary>
    /// Every object key must be text: a key that escapes a lone surrogate (<c>"\ud800"</c>) or carries bytes that are not
    /// UTF-8 makes later lookups throw, so it is refused here, as a 400 on the body, before anything reads the keys.
    /// </summary>
    private static void RequireReadableKeys(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 32 });
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            try
            {
                _ = reader.GetString();
            }
            catch (InvalidOperationException)
            {
                throw Fail(RequestError.Invalid("body", $"an object key at byte {reader.TokenStartIndex + 1} is not valid text: an unpaired surrogate or bytes that are not UTF-8"));
            }
        }
    }

    /// <summary>Fields the router cannot honour are refused, naming the field, rather than silently ignored.</summary>
    private static void Unsupported(JsonElement root)
    {
        if (root.TryGetProperty("response_format", out var format) && format.ValueKind != JsonValueKind.Null
            && !(format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("text")))
        {
            throw Fail(RequestError.Invalid("response_format", "only {\"type\":\"text\"} is supported; JSON modes and schemas are not enforced by this router"));
        }

        if (root.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind is not (JsonValueKind.Null or JsonValueKind.False))
        {
            throw Fail(RequestError.Invalid("logprobs", "log probabilities are not supported by this router; omit logprobs or send false"));
        }

        if (root.TryGetProperty("top_logprobs", out var top) && top.ValueKind != JsonValueKind.Null)
        {
            throw Fail(RequestError.Invalid("top_logprobs", "log probabilities are not supported by this router"));
        }

        if (root.TryGetProperty("audio", out var audio) && audio.ValueKind != JsonValueKind.Null)
        {
            throw Fail(RequestError.Invalid("audio", "audio output is not supported by this router"));
        }

        if (root.TryGetProperty("modalities", out var modalities) && modalities.ValueKind != JsonValueKind.Null)
        {
            if (modalities.ValueKind != JsonValueKind.Array || modalities.EnumerateArray().Any(m => !(m.ValueKind == JsonValueKind.String && m.ValueEquals("text"))))
            {
                throw Fail(RequestError.Invalid("modalities", "only [\"text\"] is supported; audio output is not supported by this router"));
            }
        }
    }

    private static List<ChatMessage> Messages(JsonElement root, RequestLimits limits)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind == JsonValueKind.Null)
        {
            throw Fail(RequestError.Invalid("messages", "required"));
        }

        if (messages.ValueKind != JsonValueKind.Array)
        {
            throw Fail(RequestError.Invalid("messages", $"expected an array, got {Describe(messages)}"));
        }

        var length = messages.GetArrayLength();
        if (length == 0)
        {
            throw Fail(RequestError.Invalid("messages", "at least one message is required"));
        }

        if (length > limits.MaxMessages)
        {
            throw Fail(RequestError.TooLarge("messages", $"{length} messages, over the limit of {limits.MaxMessages}"));
        }

        var result = new List<ChatMessage>(length);
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var at = $"messages[{i}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw Fail(RequestError.Invalid(at, $"expected an object, got {Describe(message)}"));
            }

            var role = RequiredString(message, "role", 32, at);
            if (role == "tool" || role == "function")
            {
                throw Fail(RequestError.Invalid($"{at}.role", $"\"{role}\" messages are not supported: tool calling is not supported by this router"));
            }

            if (!Roles.Contains(role))
            {
                throw Fail(RequestError.Invalid($"{at}.role", $"expected one of system, developer, user, assistant; got \"{Truncate(role)}\""));
            }

            if (message.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind != JsonValueKind.Null)
            {
                throw Fail(RequestError.Invalid($"{at}.tool_calls", "tool calling is not supported by this router"));
            }

            var text = Content(message, at, limits.MaxMessageChars);
            result.Add(new ChatMessage(role, text));
            i++;
        }

        if (!result.Any(m => m.Role == "user"))
        {
            throw Fail(RequestError.Invalid("messages", "at least one user message is required"));
        }

        return result;
    }

    private static string Content(JsonElement message, string at, int maxChars)
    {
        var param = $"{at}.content";
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            throw Fail(RequestError.Invalid(param, "required"));
        }

        string text;
        if (content.ValueKind == JsonValueKind.String)
        {
            text = ReadString(content, param);
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            var builder = new StringBuilder();
            var j = 0;
            foreach (var part in content.EnumerateArray())
            {
                var partAt = $"{param}[{j}]";
                if (part.ValueKind != JsonValueKind.Object)
                {
                    throw Fail(RequestError.Invalid(partAt, $"expected an object, got {Describe(part)}"));
                }

                var type = RequiredString(part, "type", 32, partAt);
                if (type != "text")
                {
                    throw Fail(RequestError.Invalid($"{partAt}.type", $"\"{Truncate(type)}\" parts are not supported; only text"));
                }

                if (builder.Length > 0)
                {
                    builder.Append('\n');
                }

                builder.Append(RequiredString(part, "text", int.MaxValue, partAt, allowEmpty: true));
                j++;
            }

            if (j == 0)
            {
                throw Fail(RequestError.Invalid(param, "at least one content part is required"));
            }

            text = builder.ToString();
        }
        else
        {
            throw Fail(RequestError.Invalid(param, $"expected a string or an array of text parts, got {Describe(content)}"));
        }

        if (text.Length > maxChars)
        {
            throw Fail(RequestError.TooLarge(param, $"{text.Length} characters, over the limit of {maxChars}"));
        }

        // Backends refuse blank text blocks; say so here, naming the field, rather than relay their 400.
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Fail(RequestError.Invalid(param, "must not be empty"));
        }

        return text;
    }

    private static int? MaxTokens(JsonElement root)
    {
        // max_completion_tokens is current and wins; max_tokens is deprecated but what most clients still send. Both are
        // validated: a broken value is refused even when the other one decides.
        int? chosen = null;
        foreach (var name in new[] { "max_completion_tokens", "max_tokens" })
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var tokens))
            {
                throw Fail(RequestError.Invalid(name, $"expected an integer from 1 to {MaxTokensCeiling}, got {Describe(value)}"));
            }

            if (tokens < 1 || tokens > MaxTokensCeiling)
            {
                throw Fail(RequestError.Invalid(name, $"expected an integer from 1 to {MaxTokensCeiling}, got {tokens}"));
            }

            chosen ??= (int)tokens;
        }

        return chosen;
    }

    private static List<string> Stop(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (stop.ValueKind == JsonValueKind.String)
        {
            return [NonEmpty(ReadString(stop, "stop"), "stop")];
        }

        if (stop.ValueKind != JsonValueKind.Array)
        {
            throw Fail(RequestError.Invalid("stop", $"expected a string or an array of strings, got {Describe(stop)}"));
        }

        var result = new List<string>();
        var i = 0;
        foreach (var item in stop.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw Fail(RequestError.Invalid($"stop[{i}]", $"expected a string, got {Describe(item)}"));
            }

            result.Add(NonEmpty(ReadString(item, $"stop[{i}]"), $"stop[{i}]"));
            i++;
        }

        if (result.Count > MaxStopSequences)
        {
            throw Fail(RequestError.Invalid("stop", $"at most {MaxStopSequences} sequences, got {result.Count}"));
        }

        return result;
    }

    private static bool OptionalBoolean(JsonElement parent, string name, string? param = null)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Fail(RequestError.Invalid(param ?? name, $"expected a boolean, got {Describe(value)}")),
        };
    }

    private static double? OptionalNumber(JsonElement root, string name, double min, double max)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number) || number < min || number > max)
        {
            throw Fail(RequestError.Invalid(name, $"expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got {Describe(value)}"));
        }

        return number;
    }

    private static string RequiredString(JsonElement parent, string name, int maxChars, string? at = null, bool allowEmpty = false)
    {
        var param = at is null ? name : $"{at}.{name}";
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Fail(RequestError.Invalid(param, "required"));
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Fail(RequestError.Invalid(param, $"expected a string, got {Describe(value)}"));
        }

        var text = ReadString(value, param);
        if (!allowEmpty && text.Length == 0)
        {
            throw Fail(RequestError.Invalid(param, "must not be empty"));
        }

        if (text.Length > maxChars)
        {
            throw Fail(RequestError.Invalid(param, $"{text.Length} characters, over the limit of {maxChars}"));
        }

        return text;
    }

    private static string? OptionalString(JsonElement parent, string name, int maxChars)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return RequiredString(parent, name, maxChars);
    }

    /// <summary>JSON may escape a lone UTF-16 surrogate (<c>"\ud800"</c>), or carry bytes that are not UTF-8, that no backend can take: a 400 naming the field, not a crash.</summary>
    private static string ReadString(JsonElement value, string param)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Fail(RequestError.Invalid(param, "invalid text: an unpaired surrogate or bytes that are not UTF-8"));
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => Truncate(value.GetRawText()),
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static RequestErrorException Fail(RequestError error) => new(error);

    private static string NonEmpty(string value, string param) =>
        value.Length > 0 ? value : throw Fail(RequestError.Invalid(param, "must not be empty"));
}
