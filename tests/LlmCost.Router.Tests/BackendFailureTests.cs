using LlmCost.Router.Tests.Servers;

namespace LlmCost.Router.Tests;

/// <summary>
/// Failures that are the stack's, not the client's request (issue 15, finding 3 and 5): a missing SageMaker endpoint, a
/// Bedrock model that is unknown, past its end of life, not enabled, or offered only through an inference profile. The
/// route's fallback serves, fleet health counts them, and the record says why with a bounded reason code. Error texts
/// are AWS's own as reported publicly (see FailureReasons).
/// </summary>
public sealed class BackendFailureTests
{
    private const string Hi = """{"model":"auto","messages":[{"role":"user","content":"hi"}]}""";
    private const string Medium = """{"model":"medium","messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public async Task Chat_SageMakerEndpointNotFound_FallbackServesRecordSaysWhyAndFleetIsSkipped()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Fleet.Default = Replies.SageMakerError(400, "ValidationError", "Endpoint llm-cost-prod-fleet of account 123456789012 not found.");
        router.Bedrock.Default = Replies.ConverseOk("From llama.", 10, 2);

        var first = await router.ChatAsync(Hi);
        var second = await router.ChatAsync(Hi);

        first.Status.Should().Be(200);
        first.Headers["x-llm-cost-route"].Should().Be("small-bedrock");
        var record = first.Record;
        record.GetProperty("fallbackFrom").GetString().Should().Be("small");
        record.GetProperty("backendFailures").EnumerateArray().Select(f => f.GetString()).Should().Equal("small:endpoint_not_found");
        record.GetProperty("reason").GetString().Should().EndWith("; small failed (endpoint_not_found) -> fallback small-bedrock");
        record.GetProperty("attempts").GetInt32().Should().Be(2, "a missing endpoint is not retried");
        // llama 3.1 8b on Bedrock: (10 + 2) x 0.22 per 1M.
        record.GetProperty("costUsd").GetDecimal().Should().Be(0.00000264m);
        record.GetRawText().Should().NotContain("123456789012", "the backend's text (here an account ID) stays out of the record");
        second.Record.GetProperty("reason").GetString().Should().Contain("fleet llm-cost-prod-fleet unhealthy (endpoint_not_found) until ");
        router.Fleet.Received.Should().ContainSingle("a missing endpoint takes the fleet out of routing at once");
    }

    [Fact]
    public async Task Chat_SageMakerOtherValidationError_IsTheStacksProblemAndFallsBack()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Fleet.Default = Replies.SageMakerError(400, "ValidationError", "1 validation error detected: Value at 'contentType' failed to satisfy constraint");

        var result = await router.ChatAsync(Hi);

        result.Status.Should().Be(200);
        result.Record.GetProperty("backendFailures")[0].GetString().Should().Be("small:backend_misconfigured");
    }

    [Theory]
    [InlineData(400, "ValidationException", "The provided model identifier is invalid.", "model_not_found")]
    [InlineData(404, "ResourceNotFoundException", "This model version has reached the end of its life. Please refer to the AWS documentation for more details.", "model_end_of_life")]
    [InlineData(404, "ResourceNotFoundException", "Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 30 days.", "model_access_denied")]
    [InlineData(403, "AccessDeniedException", "You don't have access to the model with the specified model ID.", "model_access_denied")]
    [InlineData(400, "ValidationException", "Invocation of model ID amazon.nova-lite-v1:0 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.", "model_needs_inference_profile")]
    [InlineData(404, "ResourceNotFoundException", "Model not found", "model_not_found")]
    public async Task Chat_BedrockModelUnavailable_FallbackServesAndRecordSaysWhy(int status, string code, string message, string reason)
    {
        await using var router = await RouterHarness.StartAsync();
        router.Bedrock.Default = Replies.When("nova-lite", Replies.AwsError(status, code, message), Replies.ConverseOk("From llama.", 10, 2));

        // search: no inference profiles of its own in prod, so medium is invoked by its model ID, which the failure matches.
        var result = await router.ChatAsync(Medium, clientId: TestConfig.SearchClient);

        result.Status.Should().Be(200);
        result.Headers["x-llm-cost-route"].Should().Be("small-bedrock");
        result.Record.GetProperty("reason").GetString().Should().Be($"explicit: medium; medium failed ({reason}) -> fallback small-bedrock");
        result.Record.GetProperty("backendFailures").EnumerateArray().Select(f => f.GetString()).Should().Equal($"medium:{reason}");
        result.Record.GetProperty("attempts").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task Chat_BedrockModelNotReady_RetriedThenFallbackAndRecordSaysWhy()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Bedrock.Default = Replies.When("nova-lite", Replies.AwsError(429, "ModelNotReadyException", "Model is not ready"), Replies.ConverseOk("From llama.", 10, 2));

        // search: medium by its model ID (no app profile), which the failure matches.
        var result = await router.ChatAsync(Medium, clientId: TestConfig.SearchClient);

        result.Status.Should().Be(200);
        result.Record.GetProperty("attempts").GetInt32().Should().Be(4, "three tries of the model that is warming up, then the fallback");
        result.Record.GetProperty("backendFailures")[0].GetString().Should().Be("medium:model_not_ready");
    }

    [Fact]
    public async Task Chat_EndOfLifeWithoutFallback_502WithTheReasonAndNoBackendText()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Bedrock.Default = Replies.AwsError(404, "ResourceNotFoundException", "This model version has reached the end of its life. Please refer to the AWS documentation for more details.");

        var result = await router.ChatAsync("""{"model":"small-bedrock","messages":[{"role":"user","content":"hi"}]}""");

        result.Status.Should().Be(502);
        result.Record.GetProperty("outcome").GetString().Should().Be("backend_error");
        result.Record.GetProperty("errorMessage").GetString().Should().Be("the model backend failed (Bedrock 404 ResourceNotFoundException (model_end_of_life))");
        result.Record.GetProperty("backendFailures")[0].GetString().Should().Be("small-bedrock:model_end_of_life");
    }

    [Fact]
    public async Task Chat_ContentValidationException_StaysTheClients400()
    {
        await using var router = await RouterHarness.StartAsync();
        router.Bedrock.Default = Replies.AwsError(400, "ValidationException", "Input is too long for requested model.");

        var result = await router.ChatAsync(Medium);

        result.Status.Should().Be(400);
        result.Record.GetProperty("outcome").GetString().Should().Be("client_error");
        result.Record.GetProperty("backendFailures")[0].GetString().Should().Be("medium:request_rejected");
        router.Bedrock.Received.Should().ContainSingle("the client's own mistake is neither retried nor sent to the fallback");
    }
}
