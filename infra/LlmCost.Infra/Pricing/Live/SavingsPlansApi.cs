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
    public async Task<IReadOnlyList<OfferingRate>> DescribeOfferingRatesAsync(
        IReadOnlyList<string> planTypes, string product, string serviceCode, string region, string instanceType, CancellationToken deadline)
    {
        var baseUri = Endpoint(AwsEndpoints.SavingsPlans, "us-east-1");
        var uri = new Uri(baseUri.ToString().TrimEnd('/') + "/DescribeSavingsPlansOfferingRates");
        var headers = new List<KeyValuePair<string, string>> { new("Content-Type", "application/json") };
        var rates = new List<OfferingRate>();
        string? nextToken = null;
        var pages = 0;
        do
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

            using var page = await client.PostAsync("SavingsPlans DescribeSavingsPlansOfferingRates", uri, "savingsplans", "us-east-1", headers, body.ToJsonString(), deadline);
            var root = page.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("searchResults", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                throw new PricingException("SavingsPlans DescribeSavingsPlansOfferingRates: malformed answer (no searchResults array)");
            }

            foreach (var result in results.EnumerateArray())
            {
                rates.Add(Parse(result));
            }

            nextToken = root.TryGetProperty("nextToken", out var token) && token.ValueKind == JsonValueKind.String && token.GetString()!.Length > 0 ? token.GetString() : null;
            if (++pages > 100)
            {
                throw new PricingException("SavingsPlans DescribeSavingsPlansOfferingRates: more than 100 pages");
            }
        }
        while (nextToken is not null);

        return rates;
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
            throw new PricingException($"SavingsPlans DescribeSavingsPlansOfferingRates: malformed search result ({e.Message})");
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
