using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmCost.Infra.Tests.Pricing;

/// <summary>
/// A local server on 127.0.0.1 that answers as the Price List Query API (JSON 1.1, <c>X-Amz-Target:
/// AWSPriceListService.GetProducts</c>) and the Savings Plans API (<c>POST /DescribeSavingsPlansOfferingRates</c>)
/// do, and the Bedrock control plane's <c>GET /foundation-models</c> and <c>GET /inference-profiles</c> (REST-JSON),
/// in their documented wire formats, with scripted failures: throttling, server errors, slowness, bodies that
/// are not JSON.
/// </summary>
internal sealed class FakeAwsPricingServer : IAsyncDisposable
{
    public sealed record Reply(int Status, string Body, TimeSpan Delay = default, string? ErrorType = null);

    public sealed record Seen(string Path, string? Target, string? Authorization, JsonObject Body);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Reply> _scripted = new();

    public ConcurrentQueue<Seen> Requests { get; } = new();

    /// <summary>Answers for GetProducts by service code, pages in order (NextToken = page index).</summary>
    public Dictionary<string, List<List<string>>> Products { get; } = new(StringComparer.Ordinal);

    /// <summary>Pages of DescribeSavingsPlansOfferingRates search results.</summary>
    public List<List<JsonObject>> OfferingRatePages { get; } = [];

    /// <summary><c>modelSummaries</c> of ListFoundationModels; null answers 404 as a server without the operation would.</summary>
    public List<JsonObject>? FoundationModels { get; set; }

    /// <summary>Pages of ListInferenceProfiles' <c>inferenceProfileSummaries</c> (nextToken = page index).</summary>
    public List<List<JsonObject>> InferenceProfilePages { get; } = [];

    /// <summary>Lambda's AccountLimit (ConcurrentExecutions, UnreservedConcurrentExecutions); null answers 404.</summary>
    public (int Limit, int Unreserved)? LambdaAccount { get; set; }

    /// <summary>Functions that exist, with their reserved concurrency (null: none reserved); others answer 404.</summary>
    public Dictionary<string, int?> LambdaFunctions { get; } = new(StringComparer.Ordinal);

    public Uri Endpoint { get; private set; } = null!;

    private FakeAwsPricingServer(WebApplication app) => _app = app;

    public static async Task<FakeAwsPricingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeAwsPricingServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    /// <summary>The next requests get these replies, in order, before normal service resumes.</summary>
    public void Script(params Reply[] replies)
    {
        foreach (var reply in replies)
        {
            _scripted.Enqueue(reply);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var body = text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
        var target = context.Request.Headers["X-Amz-Target"].FirstOrDefault();
        Requests.Enqueue(new Seen(context.Request.Path + context.Request.QueryString, target, context.Request.Headers.Authorization.FirstOrDefault(), body));

        if (_scripted.TryDequeue(out var scripted))
        {
            await Task.Delay(scripted.Delay, context.RequestAborted);
            context.Response.StatusCode = scripted.Status;
            if (scripted.ErrorType is not null)
            {
                context.Response.Headers["x-amzn-ErrorType"] = scripted.ErrorType;
            }

            await context.Response.WriteAsync(scripted.Body, context.RequestAborted);
            return;
        }

        JsonObject answer;
        if (target == "AWSPriceListService.GetProducts")
        {
            var pages = Products.GetValueOrDefault(body["ServiceCode"]!.GetValue<string>()) ?? [[]];
            var index = body["NextToken"] is { } token ? int.Parse(token.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : 0;
            answer = new JsonObject
            {
                ["FormatVersion"] = "aws_v1",
                ["PriceList"] = new JsonArray(pages[index].Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
            };
            if (index + 1 < pages.Count)
            {
                answer["NextToken"] = (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            context.Response.ContentType = "application/x-amz-json-1.1";
        }
        else if (context.Request.Path == "/DescribeSavingsPlansOfferingRates")
        {
            var index = body["nextToken"] is { } token ? int.Parse(token.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : 0;
            var page = OfferingRatePages.Count == 0 ? [] : OfferingRatePages[index];
            answer = new JsonObject { ["searchResults"] = new JsonArray(page.Select(r => (JsonNode)r.DeepClone()).ToArray()) };
            if (index + 1 < OfferingRatePages.Count)
            {
                answer["nextToken"] = (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            context.Response.ContentType = "application/json";
        }
        else if (context.Request.Method == "GET" && context.Request.Path == "/foundation-models" && FoundationModels is not null)
        {
            answer = new JsonObject { ["modelSummaries"] = new JsonArray(FoundationModels.Select(m => (JsonNode)m.DeepClone()).ToArray()) };
            context.Response.ContentType = "application/json";
        }
        else if (context.Request.Method == "GET" && context.Request.Path == "/inference-profiles" && context.Request.Query["type"] == "SYSTEM_DEFINED")
        {
            var index = context.Request.Query["nextToken"] is { Count: 1 } token ? int.Parse(token[0]!, System.Globalization.CultureInfo.InvariantCulture) : 0;
            var page = InferenceProfilePages.Count == 0 ? [] : InferenceProfilePages[index];
            answer = new JsonObject { ["inferenceProfileSummaries"] = new JsonArray(page.Select(p => (JsonNode)p.DeepClone()).ToArray()) };
            if (index + 1 < InferenceProfilePages.Count)
            {
                answer["nextToken"] = (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            context.Response.ContentType = "application/json";
        }
        else if (context.Request.Method == "GET" && context.Request.Path == "/2016-08-19/account-settings" && LambdaAccount is { } account)
        {
            answer = new JsonObject
            {
                ["AccountLimit"] = new JsonObject
                {
                    ["TotalCodeSize"] = 80_530_636_800L, ["CodeSizeUnzipped"] = 262_144_000, ["CodeSizeZipped"] = 52_428_800,
                    ["ConcurrentExecutions"] = account.Limit, ["UnreservedConcurrentExecutions"] = account.Unreserved,
                },
                ["AccountUsage"] = new JsonObject { ["TotalCodeSize"] = 1234, ["FunctionCount"] = 3 },
            };
            context.Response.ContentType = "application/json";
        }
        else if (context.Request.Method == "GET" && context.Request.Path.StartsWithSegments("/2019-09-30/functions", out var rest) && rest.Value!.EndsWith("/concurrency", StringComparison.Ordinal))
        {
            var name = rest.Value![1..^"/concurrency".Length];
            if (!LambdaFunctions.TryGetValue(name, out var reserved))
            {
                context.Response.StatusCode = 404;
                context.Response.Headers["x-amzn-ErrorType"] = "ResourceNotFoundException";
                await context.Response.WriteAsync($$"""{"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:111122223333:function:{{name}}"}""");
                return;
            }

            answer = reserved is { } n ? new JsonObject { ["ReservedConcurrentExecutions"] = n } : [];
            context.Response.ContentType = "application/json";
        }
        else
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("""{"message":"unknown operation"}""");
            return;
        }

        await context.Response.WriteAsync(answer.ToJsonString());
    }

    /// <summary>One Price List item, as the API encodes it: a JSON document inside a string.</summary>
    public static string Product(string sku, Dictionary<string, string> attributes, decimal usd, string unit, string publicationDate = "2026-11-20T00:00:00Z")
    {
        var attributesNode = new JsonObject();
        foreach (var (key, value) in attributes)
        {
            attributesNode[key] = value;
        }

        return new JsonObject
        {
            ["product"] = new JsonObject { ["productFamily"] = "Compute Instance", ["attributes"] = attributesNode, ["sku"] = sku },
            ["serviceCode"] = "AmazonEC2",
            ["terms"] = new JsonObject
            {
                ["OnDemand"] = new JsonObject
                {
                    [$"{sku}.JRTCKXETXF"] = new JsonObject
                    {
                        ["priceDimensions"] = new JsonObject
                        {
                            [$"{sku}.JRTCKXETXF.6YS6EN2CT7"] = new JsonObject
                            {
                                ["unit"] = unit,
                                ["endRange"] = "Inf",
                                ["beginRange"] = "0",
                                ["description"] = $"${usd} per {unit}",
                                ["appliesTo"] = new JsonArray(),
                                ["rateCode"] = $"{sku}.JRTCKXETXF.6YS6EN2CT7",
                                ["pricePerUnit"] = new JsonObject { ["USD"] = usd.ToString("0.0000000000", System.Globalization.CultureInfo.InvariantCulture) },
                            },
                        },
                        ["sku"] = sku,
                        ["effectiveDate"] = "2026-11-01T00:00:00Z",
                        ["offerTermCode"] = "JRTCKXETXF",
                        ["termAttributes"] = new JsonObject(),
                    },
                },
            },
            ["version"] = "20261120000000",
            ["publicationDate"] = publicationDate,
        }.ToJsonString();
    }

    public static JsonObject OfferingRate(string planType, int years, string payment, decimal rate, string usageType, string operation, string region, string instanceType) => new()
    {
        ["savingsPlanOffering"] = new JsonObject
        {
            ["offeringId"] = Guid.NewGuid().ToString(),
            ["paymentOption"] = payment,
            ["planType"] = planType,
            ["durationSeconds"] = years * 31_536_000L,
            ["currency"] = "USD",
            ["planDescription"] = $"{years} year {payment} {planType} Savings Plan",
        },
        ["rate"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["unit"] = "Hrs",
        ["productType"] = planType == "SageMaker" ? "SageMaker" : "EC2",
        ["serviceCode"] = planType == "SageMaker" ? "AmazonSageMaker" : "AmazonEC2",
        ["usageType"] = usageType,
        ["operation"] = operation,
        ["properties"] = new JsonArray(
            new JsonObject { ["name"] = "region", ["value"] = region },
            new JsonObject { ["name"] = "instanceType", ["value"] = instanceType }),
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
