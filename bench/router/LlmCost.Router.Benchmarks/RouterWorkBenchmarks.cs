using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LlmCost.CostModel;
using LlmCost.Router.Chat;
using LlmCost.Router.Configuration;
using LlmCost.Router.Gateway;
using LlmCost.Router.Local;
using LlmCost.Router.Routing;
using LlmCost.Router.Tokens;
using LlmCost.Router.Usage;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Router.Benchmarks;

/// <summary>
/// The router's own work for one request, without the network: parse the API Gateway event, validate the chat body,
/// count tokens (o200k_base), score and route, cap, estimate the cost, settle it from a usage, and serialize the usage
/// record. Prompts of about 1k, 10k and 100k tokens of varied English-like text.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class RouterWorkBenchmarks
{
    private static readonly string[] Words =
    [
        "the", "cost", "of", "inference", "depends", "on", "tokens", "model", "route", "request", "latency", "budget",
        "fleet", "capacity", "utilisation", "price", "per", "million", "input", "output", "cache", "read", "write",
        "analysis", "contract", "clause", "customer", "support", "ticket", "refund", "order", "shipping", "delay",
        "because", "however", "therefore", "which", "would", "could", "should", "between", "across", "within",
    ];

    private RouteSelector _selector = null!;
    private AppConfiguration _app = null!;
    private RequestLimits _limits = null!;
    private byte[] _event = [];

    [Params(1_000, 10_000, 100_000)]
    public int Tokens { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_selector, _app, _limits) = Router();
        var counter = TokenCounter.CreateO200kBase();
        var random = new Random(42);
        var text = new StringBuilder();
        while (counter.Count(text.ToString()) < Tokens)
        {
            for (var i = 0; i < 200; i++)
            {
                text.Append(Words[random.Next(Words.Length)]).Append(random.Next(10) == 0 ? ". " : " ");
            }
        }

        _event = Event(text.ToString());
    }

    [Benchmark]
    public int ValidateCountRoutePriceRecord() => Work(_selector, _app, _limits, _event);

    internal static byte[] Event(string text)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new ChatBody("auto", [new("system", "You are a careful analyst."), new("user", text + "\nSummarise the above.")], 1000), BenchJsonContext.Default.ChatBody);
        return LocalHost.ProxyEvent("POST", "/v1/chat/completions", [new("Content-Type", "application/json")], body, "bench", "client");
    }

    internal static (RouteSelector Selector, AppConfiguration App, RequestLimits Limits) Router(TokenCounter? counter = null)
    {
        var config = new RouterConfiguration(1, "bench", "us-east-1", false, new RequestLimits(128, 2_000_000),
            [
                new RouteConfiguration("small", Backend.Bedrock, "amazon.nova-micro-v1:0", "amazon.nova-micro-v1:0", 8_000, 1024, false, "medium", new TokenPrices(0.035m, 0.14m)),
                new RouteConfiguration("medium", Backend.Bedrock, "amazon.nova-lite-v1:0", "amazon.nova-lite-v1:0", 64_000, 2048, false, null, new TokenPrices(0.06m, 0.24m, 0.015m, 0m)),
                new RouteConfiguration("large", Backend.Bedrock, "anthropic.claude-3-7-sonnet-20250219-v1:0", "us.anthropic.claude-3-7-sonnet-20250219-v1:0", 200_000, 4096, true, null, new TokenPrices(3m, 15m, 0.3m, 3.75m)),
            ],
            new AutoRouting([new("small", 0.4m), new("medium", 0.75m), new("large", 1m)], true),
            [new AppConfiguration("app", "client", [])],
            new PriceProvenance(PriceOriginKind.Snapshot, "2026-09-10"));
        var selector = new RouteSelector(new RouteTable(config), counter ?? TokenCounter.CreateO200kBase(), new TokenCalibration(), new FleetHealth(TimeProvider.System));
        return (selector, config.Apps[0], config.Limits);
    }

    /// <summary>Everything the router does for a request except the backend call and the stdout write.</summary>
    internal static int Work(RouteSelector selector, AppConfiguration app, RequestLimits limits, byte[] proxyEvent)
    {
        var gateway = ApiGatewayRequest.Parse(proxyEvent);
        var request = ChatRequestParser.Parse(gateway.Body, limits);
        var decision = selector.Select(request, app);
        var estimate = decision.EstimatedCostUsd;
        var usage = new TokenUsage(decision.EstimatedInputTokens, decision.MaxOutputTokens / 2);
        var record = new UsageRecord
        {
            Timestamp = TimeProvider.System.GetUtcNow(),
            Route = decision.Route.Name,
            Model = decision.Route.ModelId,
            Reason = decision.Reason,
            EstimatedCostUsd = estimate,
            CostUsd = RequestCost.Usd(decision.Route.Prices, usage),
            InputTokens = usage.InputTokens,
            OutputTokens = usage.OutputTokens,
        };
        return UsageRecordWriter.ToJson(record).Length;
    }
}

public sealed record ChatMessageBody(string Role, string Content);

public sealed record ChatBody(string Model, IReadOnlyList<ChatMessageBody> Messages, int MaxTokens);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ChatBody))]
public sealed partial class BenchJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
