using System.Text;
using System.Text.Json;

namespace LlmCost.Router.Tests;

/// <summary>
/// Every malformed request gets a 4xx whose message and <c>param</c> name the problem, exactly one usage record with
/// that status, and never reaches a backend.
/// </summary>
public sealed class BadRequestCorpusTests : IAsyncLifetime
{
    private RouterHarness _router = null!;

    private const string User = """{"role":"user","content":"hi"}""";

    public static TheoryData<string, string, int, string?, string> Corpus() => new()
    {
        // name, body, status, param, message fragment
        { "malformed JSON", """{"model":"auto","messages":[""", 400, "body", "not valid JSON" },
        { "trailing garbage", """{"model":"auto","messages":[{"role":"user","content":"hi"}]} x""", 400, "body", "not valid JSON" },
        { "empty body", "", 400, "body", "a JSON object is required" },
        { "array at the root", "[]", 400, "body", "expected a JSON object, got an array" },
        { "string at the root", "\"hi\"", 400, "body", "expected a JSON object, got a string" },
        { "nesting too deep", new string('[', 100) + new string(']', 100), 400, "body", "not valid JSON" },
        { "model missing", $$$"""{"messages":[{{{User}}}]}""", 400, "model", "required" },
        { "model a number", $$$"""{"model":5,"messages":[{{{User}}}]}""", 400, "model", "expected a string, got 5" },
        { "model empty", $$$"""{"model":"","messages":[{{{User}}}]}""", 400, "model", "must not be empty" },
        { "model unknown", $$$"""{"model":"gpt-4o","messages":[{{{User}}}]}""", 400, "model", "unknown model \"gpt-4o\"; allowed: auto, small, small-bedrock, medium, large" },
        { "model too long", $$$"""{"model":"{{{new string('m', 300)}}}","messages":[{{{User}}}]}""", 400, "model", "300 characters, over the limit of 256" },
        { "messages missing", """{"model":"auto"}""", 400, "messages", "required" },
        { "messages empty", """{"model":"auto","messages":[]}""", 400, "messages", "at least one message is required" },
        { "messages a string", """{"model":"auto","messages":"hi"}""", 400, "messages", "expected an array, got a string" },
        { "message a string", """{"model":"auto","messages":["hi"]}""", 400, "messages[0]", "expected an object, got a string" },
        { "role missing", """{"model":"auto","messages":[{"content":"hi"}]}""", 400, "messages[0].role", "required" },
        { "role unknown", """{"model":"auto","messages":[{"role":"wizard","content":"hi"}]}""", 400, "messages[0].role", "expected one of system, developer, user, assistant; got \"wizard\"" },
        { "role a number", """{"model":"auto","messages":[{"role":1,"content":"hi"}]}""", 400, "messages[0].role", "expected a string, got 1" },
        { "tool role", """{"model":"auto","messages":[{"role":"tool","content":"x","tool_call_id":"t"}]}""", 400, "messages[0].role", "tool calling is not supported" },
        { "content missing", """{"model":"auto","messages":[{"role":"user"}]}""", 400, "messages[0].content", "required" },
        { "content null", """{"model":"auto","messages":[{"role":"user","content":null}]}""", 400, "messages[0].content", "required" },
        { "content a number", """{"model":"auto","messages":[{"role":"user","content":42}]}""", 400, "messages[0].content", "expected a string or an array of text parts, got 42" },
        { "content parts empty", """{"model":"auto","messages":[{"role":"user","content":[]}]}""", 400, "messages[0].content", "at least one content part" },
        { "image part", """{"model":"auto","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"http://x"}}]}]}""", 400, "messages[0].content[0].type", "\"image_url\" parts are not supported" },
        { "text part without text", """{"model":"auto","messages":[{"role":"user","content":[{"type":"text"}]}]}""", 400, "messages[0].content[0].text", "required" },
        { "no user message", """{"model":"auto","messages":[{"role":"system","content":"be terse"}]}""", 400, "messages", "at least one user message" },
        { "max_tokens negative", $$$"""{"model":"auto","messages":[{{{User}}}],"max_tokens":-5}""", 400, "max_tokens", "expected an integer from 1 to 1000000, got -5" },
        { "max_tokens zero", $$$"""{"model":"auto","messages":[{{{User}}}],"max_tokens":0}""", 400, "max_tokens", "got 0" },
        { "max_tokens huge", $$$"""{"model":"auto","messages":[{{{User}}}],"max_tokens":1000000000000}""", 400, "max_tokens", "got 1000000000000" },
        { "max_tokens beyond int64", $$$"""{"model":"auto","messages":[{{{User}}}],"max_tokens":1e400}""", 400, "max_tokens", "got 1e400" },
        { "max_tokens fractional", $$$"""{"model":"auto","messages":[{{{User}}}],"max_tokens":12.5}""", 400, "max_tokens", "got 12.5" },
        { "max_tokens a string", $$$"""{"model":"auto","messages":[{{{User}}}],"max_tokens":"100"}""", 400, "max_tokens", "got a string" },
        { "max_completion_tokens negative", $$$"""{"model":"auto","messages":[{{{User}}}],"max_completion_tokens":-1}""", 400, "max_completion_tokens", "got -1" },
        { "temperature too high", $$$"""{"model":"auto","messages":[{{{User}}}],"temperature":3}""", 400, "temperature", "expected a number from 0 to 2, got 3" },
        { "temperature a string", $$$"""{"model":"auto","messages":[{{{User}}}],"temperature":"hot"}""", 400, "temperature", "got a string" },
        { "top_p negative", $$$"""{"model":"auto","messages":[{{{User}}}],"top_p":-0.1}""", 400, "top_p", "got -0.1" },
        { "stream_options without stream", $$$"""{"model":"auto","messages":[{{{User}}}],"stream_options":{"include_usage":true}}""", 400, "stream_options", "only allowed when stream is true" },
        { "include_usage a string", $$$"""{"model":"auto","messages":[{{{User}}}],"stream":true,"stream_options":{"include_usage":"yes"}}""", 400, "stream_options.include_usage", "expected a boolean, got a string" },
        { "stream a string", $$$"""{"model":"auto","messages":[{{{User}}}],"stream":"yes"}""", 400, "stream", "expected a boolean" },
        { "n of 2", $$$"""{"model":"auto","messages":[{{{User}}}],"n":2}""", 400, "n", "only 1 choice is supported, got 2" },
        { "tools", $$$"""{"model":"auto","messages":[{{{User}}}],"tools":[{"type":"function","function":{"name":"f"}}]}""", 400, "tools", "not supported" },
        { "stop of five", $$$"""{"model":"auto","messages":[{{{User}}}],"stop":["a","b","c","d","e"]}""", 400, "stop", "at most 4 sequences, got 5" },
        { "content empty", """{"model":"auto","messages":[{"role":"user","content":""}]}""", 400, "messages[0].content", "must not be empty" },
        { "content whitespace", """{"model":"auto","messages":[{"role":"user","content":" \n\t "}]}""", 400, "messages[0].content", "must not be empty" },
        { "content parts all empty", """{"model":"auto","messages":[{"role":"user","content":[{"type":"text","text":""}]}]}""", 400, "messages[0].content", "must not be empty" },
        { "stop empty string", $$$"""{"model":"auto","messages":[{{{User}}}],"stop":""}""", 400, "stop", "must not be empty" },
        { "stop with an empty entry", $$$"""{"model":"auto","messages":[{{{User}}}],"stop":["end",""]}""", 400, "stop[1]", "must not be empty" },
        { "stop a number", $$$"""{"model":"auto","messages":[{{{User}}}],"stop":7}""", 400, "stop", "expected a string or an array of strings" },
        { "user a number", $$$"""{"model":"auto","messages":[{{{User}}}],"user":7}""", 400, "user", "expected a string, got 7" },
        { "unpaired surrogate", """{"model":"auto","messages":[{"role":"user","content":"a\ud800b"}]}""", 400, "messages[0].content", "invalid text: an unpaired surrogate" },
        { "unpaired low surrogate in model", """{"model":"\udc00","messages":[{"role":"user","content":"hi"}]}""", 400, "model", "invalid text: an unpaired surrogate" },
        { "lone surrogate as a key", """{"model":"auto","\ud800":1,"messages":[{"role":"user","content":"hi"}]}""", 400, "body", "an object key at byte 17 is not valid text" },
        { "lone surrogate as a message key", """{"model":"auto","messages":[{"role":"user","content":"hi","\udfff":0}]}""", 400, "body", "an object key at byte 59 is not valid text" },
        { "max_tokens broken beside max_completion_tokens", $$$"""{"model":"auto","messages":[{{{User}}}],"max_completion_tokens":100,"max_tokens":-5}""", 400, "max_tokens", "got -5" },
        { "max_tokens a string beside max_completion_tokens", $$$"""{"model":"auto","messages":[{{{User}}}],"max_completion_tokens":100,"max_tokens":"x"}""", 400, "max_tokens", "got a string" },
        { "response_format json_object", $$$"""{"model":"auto","messages":[{{{User}}}],"response_format":{"type":"json_object"}}""", 400, "response_format", "only {\"type\":\"text\"} is supported" },
        { "response_format json_schema", $$$"""{"model":"auto","messages":[{{{User}}}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{} } } }""", 400, "response_format", "JSON modes and schemas are not enforced" },
        { "logprobs true", $$$"""{"model":"auto","messages":[{{{User}}}],"logprobs":true}""", 400, "logprobs", "log probabilities are not supported" },
        { "top_logprobs", $$$"""{"model":"auto","messages":[{{{User}}}],"top_logprobs":3}""", 400, "top_logprobs", "log probabilities are not supported" },
        { "audio output", $$$"""{"model":"auto","messages":[{{{User}}}],"modalities":["text","audio"],"audio":{"voice":"alloy","format":"wav"}}""", 400, "audio", "audio output is not supported" },
        { "audio modality", $$$"""{"model":"auto","messages":[{{{User}}}],"modalities":["audio"]}""", 400, "modalities", "audio output is not supported" },
        { "audio input part", """{"model":"auto","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]}""", 400, "messages[0].content[0].type", "\"input_audio\" parts are not supported" },
        { "message too long", $$$"""{"model":"auto","messages":[{"role":"user","content":"{{{new string('a', 200_001)}}}"}]}""", 413, "messages[0].content", "200001 characters, over the limit of 200000" },
        { "too many messages", $$$"""{"model":"auto","messages":[{{{string.Join(",", Enumerable.Repeat(User, 129))}}}]}""", 413, "messages", "129 messages, over the limit of 128" },
        { "input over the route's limit", $$$"""{"model":"small-bedrock","messages":[{"role":"user","content":"{{{string.Concat(Enumerable.Repeat("word ", 30_000))}}}"}]}""", 413, "messages", "over route \"small-bedrock\"'s limit of 8000" },
    };

    public async Task InitializeAsync() => _router = await RouterHarness.StartAsync();

    public async Task DisposeAsync() => await _router.DisposeAsync();

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Chat_BadRequest_4xxNamingTheFieldAndOneRecord(string name, string body, int status, string? param, string fragment)
    {
        var result = await _router.ChatAsync(body);

        result.Status.Should().Be(status, name);
        result.ErrorParam.Should().Be(param, name);
        result.ErrorMessage.Should().Contain(fragment, name);
        if (param is not null)
        {
            result.ErrorMessage.Should().StartWith(param + ":", "the message names the field first");
        }

        var record = result.Record;
        record.GetProperty("status").GetInt32().Should().Be(status);
        record.GetProperty("outcome").GetString().Should().Be("client_error");
        record.GetProperty("errorParam").GetString().Should().Be(param);
        record.GetProperty("costUsd").GetDecimal().Should().Be(0);
        record.GetProperty("app").GetString().Should().Be("support-bot");
        EmfCheck.AssertValid(record);
        _router.Bedrock.Received.Should().BeEmpty();
        _router.Fleet.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task Chat_InvalidUtf8InAString_400NamingTheFieldAndOneRecord()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"model":"auto","messages":[{"role":"user","content":"a?b"}]}""");
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xFF;

        var result = await _router.SendAsync("POST", "/v1/chat/completions", bytes);

        result.Status.Should().Be(400);
        result.ErrorMessage.Should().Be("messages[0].content: invalid text: an unpaired surrogate or bytes that are not UTF-8");
        result.Record.GetProperty("status").GetInt32().Should().Be(400);
    }

    [Fact]
    public async Task Chat_Base64FlagWithGarbage_400BodyAndOneRecord()
    {
        var proxyEvent = $$$"""
            {"resource":"/v1/chat/completions","path":"/v1/chat/completions","httpMethod":"POST","headers":{},
             "requestContext":{"requestId":"gw-1","authorizer":{"claims":{"client_id":"{{{TestConfig.SupportClient}}}" } } },
             "body":"***not base64***","isBase64Encoded":true}
            """;

        var result = await _router.SendEventAsync(Encoding.UTF8.GetBytes(proxyEvent));

        result.Status.Should().Be(400);
        result.ErrorMessage.Should().Be("body: isBase64Encoded is true but the body is not valid base64");
        result.Record.GetProperty("requestId").GetString().Should().Be("gw-1");
        result.Record.GetProperty("app").GetString().Should().Be("support-bot");
    }

    [Fact]
    public async Task Handle_NotAProxyEvent_400EventAndOneRecord()
    {
        var result = await _router.SendEventAsync("""{"Records":[{"eventSource":"aws:sqs"}]}"""u8.ToArray());

        result.Status.Should().Be(400);
        result.ErrorParam.Should().Be("event");
        result.Record.GetProperty("app").GetString().Should().Be("none");
    }

    [Fact]
    public async Task Chat_NoAuthorizer_401AndOneRecord()
    {
        var result = await _router.SendAsync("POST", "/v1/chat/completions", Encoding.UTF8.GetBytes("{}"), clientId: null);

        result.Status.Should().Be(401);
        result.Body.GetProperty("error").GetProperty("code").GetString().Should().Be("missing_app_identity");
        result.ErrorParam.Should().Be("authorizer", "the param is the field the message names first");
        result.ErrorMessage.Should().StartWith("authorizer: ");
        result.Record.GetProperty("status").GetInt32().Should().Be(401);
    }

    [Fact]
    public async Task Chat_UnknownClient_403AndRecordAppUnknown()
    {
        var result = await _router.ChatAsync($$$"""{"model":"auto","messages":[{{{User}}}]}""", clientId: "someone-else");

        result.Status.Should().Be(403);
        result.ErrorParam.Should().Be("authorizer");
        result.ErrorMessage.Should().StartWith("authorizer: ");
        result.Record.GetProperty("app").GetString().Should().Be("unknown");
        EmfCheck.AssertValid(result.Record);
        result.Record.GetProperty("user").GetString().Should().Be("someone-else");
    }

    [Fact]
    public async Task Chat_WrongMethod_405AndOneRecord()
    {
        var result = await _router.SendAsync("GET", "/v1/chat/completions", []);

        result.Status.Should().Be(405);
        result.ErrorMessage.Should().Be("method: GET is not allowed here; use POST");
        result.Records.Should().ContainSingle();
    }

    [Fact]
    public async Task Handle_UnknownPath_404AndOneRecord()
    {
        var result = await _router.SendAsync("POST", "/v1/embeddings", "{}"u8.ToArray());

        result.Status.Should().Be(404);
        result.ErrorParam.Should().Be("path");
        result.Records.Should().ContainSingle();
    }

    [Fact]
    public async Task Chat_ExplicitModelsNotAllowed_400ListingAuto()
    {
        await using var router = await RouterHarness.StartAsync(TestConfig.Prod(allowExplicit: false));

        var result = await router.ChatAsync($$$"""{"model":"large","messages":[{{{User}}}]}""");

        result.Status.Should().Be(400);
        result.ErrorMessage.Should().Be("model: this stack routes by complexity only; use \"auto\", got \"large\"");
        result.Records.Should().ContainSingle();
    }

    [Fact]
    public async Task Chat_UnicodeEdgeCases_AcceptedAndForwardedIntact()
    {
        const string text = "emoji 👩‍💻, combining e\u0301, RTL \u05E9\u05DC\u05D5\u05DD, zero-width a\u200Bb, NUL \u0000 end";
        var body = JsonSerializer.Serialize(new { model = "medium", messages = new[] { new { role = "user", content = text } } });

        var result = await _router.ChatAsync(body);

        result.Status.Should().Be(200);
        var sent = JsonDocument.Parse(_router.Bedrock.Received.Single().Body).RootElement;
        sent.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("text").GetString().Should().Be(text);
        result.Record.GetProperty("countedInputTokens").GetInt32().Should().BeGreaterThan(6);
    }
}
