using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmCost.Aws;

namespace LlmCost.Infra.Pricing.Live;

/// <summary>One offering rate: plan type, term, payment option, the hourly rate and what it applies to.</summary>
internal sealed record OfferingRate(string PlanType, int TermYears, string PaymentOption, decimal Rate, string UsageType, string Operation, IReadOnlyDictionary<string, string> Properties);

/// <summary>
/// The Savings Plans API's <c>DescribeSavingsPlansOfferingRates</c> (REST-JSON, <c>POST /DescribeSavingsPlansOfferingRates</c>,
/// global endpoint, signed for <c>savingsplans</c> in us-east-1), every page.
/// </summary>
internal sealed class SavingsPlansApi(AwsJsonClient client, Func<string, string?> environment)
{
    private const string Operation = "SavingsPlans DescribeSavingsPlansOfferingRates";
    private const int MaxPages = 100;

    public async Task<IReadOnlyList<OfferingRate>> DescribeOfferingRatesAsync(
        IReadOnlyList<string> planTypes, string product, string serviceCode, string region, string instanceType, CancellationToken deadline)
    {
        var baseUri = Endpoint(AwsEndpoints.SavingsPlans, "us-east-1");
        var uri = new Uri(baseUri.ToString().TrimEnd('/') + "/DescribeSavingsPlansOfferingRates");
        var headers = new List<KeyValuePair<string, string>> { new("Content-Type", "application/json") };
        var listing = new PagedListing(Operation, MaxPages, m => new PricingException(m));
        return await Paging.AllAsync(listing, PageAsync, deadline).ToListAsync(deadline);

        async Task<Page<OfferingRate>> PageAsync(string? nextToken, CancellationToken cancel)
        {
            var body = new JsonObject
            {
                ["savingsPlanTypes"] = new JsonArray(planTypes.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
                ["products"] = new JsonArray(product),
                ["serviceCodes"] = new JsonArray(serviceCode),
                ["filters"] = new JsonArray(
                    new JsonObject { ["name"] = "region", ["values"] = new JsonArray(region) },
                    new JsonObject { ["name"] = "instanceType", ["values"] = new JsonArray(instanceType) }),
                ["maxResults"] = 1000,
            };
            if (nextToken is not null)
            {
                body["nextToken"] = nextToken;
            }

            using var page = await client.PostAsync(Operation, uri, "savingsplans", "us-east-1", headers, body.ToJsonString(), cancel);
            var root = page.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("searchResults", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                throw new PricingException($"{Operation}: malformed answer (no searchResults array)");
            }

            return new Page<OfferingRate>(
                results.EnumerateArray().Select(Parse).ToList(),
                root.TryGetProperty("nextToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null);
        }
    }

    private static OfferingRate Parse(JsonElement result)
    {
        try
        {
            var offering = result.GetProperty("savingsPlanOffering");
            var seconds = offering.GetProperty("durationSeconds").GetInt64();
            return new OfferingRate(
                offering.GetProperty("planType").GetString()!,
                (int)Math.Round(seconds / 31_536_000d),
                offering.GetProperty("paymentOption").GetString()!,
                decimal.Parse(result.GetProperty("rate").GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
                result.GetProperty("usageType").GetString() ?? "",
                result.TryGetProperty("operation", out var op) ? op.GetString() ?? "" : "",
                result.TryGetProperty("properties", out var props)
                    ? props.EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("value").GetString() ?? "", StringComparer.Ordinal)
                    : new Dictionary<string, string>());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new PricingException($"{Operation}: malformed search result ({e.Message})");
        }
    }

    private Uri Endpoint(AwsEndpoints.Service service, string region)
    {
        try
        {
            return AwsEndpoints.Resolve(service, region, environment);
        }
        catch (ArgumentException e)
        {
            throw new PricingException(e.Message, e);
        }
    }
}
