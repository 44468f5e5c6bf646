using System.Security.Cryptography;
using System.Text;
using LlmCost.CostModel;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Components;

/// <summary>
/// The public face: an API Gateway REST API serving the OpenAI-compatible <c>POST /v1/chat/completions</c> and
/// <c>GET /v1/models</c>, each requiring a Cognito access token with the <c>llm-cost/invoke</c> scope; stage-wide
/// throttling; a request model that refuses oversized requests before the Lambda runs; JSON access logs; and
/// OpenAI-shaped error bodies for what the gateway itself refuses.
/// </summary>
internal sealed class Gateway : Component, ICostsMoney
{
    /// <summary>An access log line in CloudWatch Logs, as the planner counts it.</summary>
    public const decimal AccessLogLineBytes = 400m;

    public static IEnumerable<CostLine> MonthlyCost(CostMonth month)
    {
        yield return new(CostLineKind.Gateway, Math.Round(month.Requests / 1_000_000m * month.Service(ServicePrices.GatewayPerMillionRequests), 2),
            "requests x the REST API's price per 1M requests");
    }

    private const string StageName = "api";
    private const string AuthorizationType = "COGNITO_USER_POOLS";

    private readonly List<string> _definition = [];

    public Gateway(Component parent, GatewayArgs args) : base(parent, "gateway")
    {
        var context = Context;
        var settings = context.Settings;
        var gateway = args.Settings;
        var identity = args.Identity;
        var router = args.Router;
        var accountStack = args.AccountStack;

        var apiResource = Define("api", "aws:apigateway/restApi:RestApi", Map(
            ("name", context.NamePrefix),
            ("description", $"llm-cost {settings.Stack}: OpenAI-compatible LLM gateway with cost control"),
            ("endpointConfiguration", Map(("types", "REGIONAL")))));
        var api = Ref(apiResource.Name, "id");

        var authorizer = Define("authorizer", "aws:apigateway/authorizer:Authorizer", Map(
            ("restApi", api),
            ("name", "app-tokens"),
            ("type", AuthorizationType),
            ("providerArns", List(Ref(identity.UserPool.Name, "arn"))),
            ("identitySource", "method.request.header.Authorization")));

        var validator = Define("body-validator", "aws:apigateway/requestValidator:RequestValidator", Map(
            ("restApi", api),
            ("name", "body"),
            ("validateRequestBody", true),
            ("validateRequestParameters", false)));

        var model = Define("chat-request-model", "aws:apigateway/model:Model", Map(
            ("restApi", api),
            ("name", "ChatCompletionRequest"),
            ("contentType", "application/json"),
            ("schema", ChatCompletionRequestSchema.For(gateway))));

        // The paths the router serves (ApiSurface): v1/chat/completions and v1/models.
        var chatParts = ApiSurface.Parts(ApiSurface.ChatCompletionsPath);
        var modelParts = ApiSurface.Parts(ApiSurface.ModelsPath);
        var v1 = Define("v1", "aws:apigateway/resource:Resource", Map(("restApi", api), ("parentId", Ref(apiResource.Name, "rootResourceId")), ("pathPart", chatParts[0])));
        var chat = Define("chat", "aws:apigateway/resource:Resource", Map(("restApi", api), ("parentId", Ref(v1.Name, "id")), ("pathPart", chatParts[1])));
        var completions = Define("completions", "aws:apigateway/resource:Resource", Map(("restApi", api), ("parentId", Ref(chat.Name, "id")), ("pathPart", chatParts[2])));
        var models = Define("models", "aws:apigateway/resource:Resource", Map(("restApi", api), ("parentId", Ref(v1.Name, "id")), ("pathPart", modelParts[1])));

        // Both integrations stream (InvokeWithResponseStream): the function answers every invocation in the streamed
        // format, and an invocation does not say which API invoked it. The gateway waits its full 15 minutes in STREAM
        // mode: the router (at most 899 s) plus a cold start's init must fit inside it.
        const int timeoutMs = ApiSurface.StreamedGatewayTimeoutMs;
        var deployed = new List<string>();
        foreach (var (id, resource, method, validated) in new[] { ("chat-post", completions, "POST", true), ("models-get", models, "GET", false) })
        {
            var m = Define($"{id}-method", "aws:apigateway/method:Method", Map(
                ("restApi", api),
                ("resourceId", Ref(resource.Name, "id")),
                ("httpMethod", method),
                ("authorization", AuthorizationType),
                ("authorizerId", Ref(authorizer.Name, "id")),
                ("authorizationScopes", Strings([AppIdentity.InvokeScope])),
                ("requestValidatorId", validated ? Ref(validator.Name, "id") : null),
                ("requestModels", validated ? Map(("application/json", Ref(model.Name, "name"))) : null)));
            var integration = Define($"{id}-integration", "aws:apigateway/integration:Integration", Map(
                ("restApi", api),
                ("resourceId", Ref(resource.Name, "id")),
                ("httpMethod", Ref(m.Name, "httpMethod")),
                ("type", "AWS_PROXY"),
                ("integrationHttpMethod", "POST"),
                ("uri", Ref(router.Function.Name, "responseStreamingInvokeArn")),
                ("responseTransferMode", ApiSurface.ResponseTransferMode),
                ("timeoutMilliseconds", timeoutMs)));
            deployed.Add(m.Name);
            deployed.Add(integration.Name);
        }

        foreach (var (type, status, errorType, message) in GatewayErrors(gateway))
        {
            var response = Define($"error-{type.ToLowerInvariant().Replace('_', '-')}", "aws:apigateway/response:Response", Map(
                ("restApiId", api),
                ("responseType", type),
                ("statusCode", status is null ? null : (Value)status),
                ("responseTemplates", Map(("application/json",
                    $"{{\"error\":{{\"message\":{message},\"type\":\"{errorType}\",\"param\":null,\"code\":null}}}}")))));
            deployed.Add(response.Name);
        }

        Add("invoke-permission", "aws:lambda/permission:Permission", Map(
            ("action", "lambda:InvokeFunction"),
            ("function", Ref(router.Function.Name, "name")),
            ("principal", "apigateway.amazonaws.com"),
            ("sourceArn", Interpolate(Ref(apiResource.Name, "executionArn"), "/*/*"))));

        // A REST API serves only what a deployment snapshots: redeploy whenever the definition changes.
        var deployment = Add("deployment", "aws:apigateway/deployment:Deployment", Map(
                ("restApi", api),
                ("description", $"llm-cost {settings.Stack}"),
                ("triggers", Map(("redeployment", DefinitionHash())))),
            new ResourceOptions { DependsOn = deployed });

        var accessLogs = LogGroup("access-logs", $"/llm-cost/{settings.Stack}/gateway-access", gateway.AccessLogRetentionDays);

        var stage = Add("stage", "aws:apigateway/stage:Stage", Map(
                ("restApi", api),
                ("deployment", Ref(deployment.Name, "id")),
                ("stageName", StageName),
                ("accessLogSettings", Map(("destinationArn", Ref(accessLogs.Name, "arn")), ("format", AccessLogFormat(settings.Stack))))),
            // Access logs need the account's API Gateway CloudWatch role, which the account stack sets.
            new ResourceOptions { DependsOn = [accountStack.Name] });

        Add("throttling", "aws:apigateway/methodSettings:MethodSettings", Map(
            ("restApi", api),
            ("stageName", Ref(stage.Name, "stageName")),
            ("methodPath", "*/*"),
            ("settings", Map(
                ("throttlingRateLimit", gateway.ThrottleRatePerSecond),
                ("throttlingBurstLimit", gateway.ThrottleBurst),
                ("metricsEnabled", true),
                ("dataTraceEnabled", false)))));

        Outputs = new GatewayOutputs(apiResource, context.NamePrefix, stage, StageName, Interpolate(Ref(stage.Name, "invokeUrl"), "/v1"), accessLogs);
    }

    public GatewayOutputs Outputs { get; }

    /// <summary>
    /// What the gateway refuses itself, in the OpenAI error shape so clients report it sensibly. Gateway response
    /// templates are plain substitution (no VTL, no escaping): <c>$context.error.messageString</c> arrives as a
    /// quoted JSON string, but <c>validationErrorString</c> is raw text with double quotes in it, so a body refused by
    /// the request model gets a fixed message naming the limits instead.
    /// </summary>
    internal static IReadOnlyList<(string Type, string? Status, string ErrorType, string Message)> GatewayErrors(Settings.GatewaySettings gateway) =>
    [
        ("BAD_REQUEST_BODY", "400", ApiSurface.ErrorType(400), System.Text.Json.JsonSerializer.Serialize(
            $"Invalid request body: expected a chat completion request with 1 to {gateway.MaxMessages} messages of at most {gateway.MaxMessageChars} characters each",
            Settings.SettingsJsonContext.Default.String)),
        ("UNAUTHORIZED", "401", ApiSurface.ErrorType(401), "$context.error.messageString"),
        ("ACCESS_DENIED", "403", ApiSurface.ErrorType(403), "$context.error.messageString"),
        ("THROTTLED", "429", ApiSurface.ErrorType(429), "$context.error.messageString"),
        ("REQUEST_TOO_LARGE", "413", ApiSurface.ErrorType(413), "$context.error.messageString"),
        ("DEFAULT_5XX", null, ApiSurface.ErrorType(500), "$context.error.messageString"),
    ];

    /// <summary>
    /// JSON access log line; the app is the OAuth client the token was issued to. No bodies, no tokens. The stack
    /// is a literal so that log metric filters can give their metrics the stack dimension.
    /// </summary>
    private static string AccessLogFormat(string stack) =>
        "{\"stack\":\"" + stack + "\",\"requestId\":\"$context.requestId\",\"time\":\"$context.requestTimeEpoch\",\"app\":\"$context.authorizer.claims.client_id\","
        + "\"method\":\"$context.httpMethod\",\"path\":\"$context.resourcePath\",\"status\":\"$context.status\","
        + "\"error\":\"$context.error.responseType\",\"latencyMs\":\"$context.responseLatency\","
        + "\"integrationLatencyMs\":\"$context.integrationLatency\","
        + "\"responseBytes\":\"$context.responseLength\",\"sourceIp\":\"$context.identity.sourceIp\"}";

    private ReferenceValue Define(string id, string type, MapValue properties)
    {
        _definition.Add(id + "=" + ProgramWriter.WriteValue(properties));
        return Add(id, type, properties);
    }

    private string DefinitionHash() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", _definition))))[..16];
}

/// <param name="AccountStack">The account stack reference: the stage's access logs need the role it sets.</param>
internal sealed record GatewayArgs(Settings.GatewaySettings Settings, AppIdentityOutputs Identity, RouterFunctionOutputs Router, ReferenceValue AccountStack);

/// <param name="Endpoint">The OpenAI base URL clients configure.</param>
/// <param name="ApiName">The REST API's name: API Gateway's CloudWatch metrics are keyed by it and the stage name.</param>
internal sealed record GatewayOutputs(ReferenceValue Api, string ApiName, ReferenceValue Stage, string StageName, Value Endpoint, ReferenceValue AccessLogGroup);
