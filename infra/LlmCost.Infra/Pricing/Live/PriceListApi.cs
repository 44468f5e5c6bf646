using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmCost.Aws;

namespace LlmCost.Infra.Pricing.Live;

/// <summary>One product of the AWS Price List: its attributes and its on-demand price per unit.</summary>
internal sealed record PriceListProduct(string Sku, IReadOnlyDictionary<string, string> Attributes, decimal PricePerUnit, string Unit, string PublicationDate);

/// <summary>
/// The Price List Query API (<c>AWSPriceListService.GetProducts</c>, JSON 1.1, signing name <c>pricing</c>):
/// every page, each <c>PriceList</c> item decoded from its JSON string.
/// </summary>
internal sealed class PriceListApi(AwsJsonClient client, Func<string, string?> environment)
{
    /// <summary>The Price List API answers from us-east-1 (also eu-central-1, ap-south-1).</summary>
    public const string ApiRegion = "us-east-1";

    /// <summary>More pages than this and the filters are too broad for what the plan asks.</summary>
    private const int MaxPages = 200;

    public async Task<IReadOnlyList<PriceListProduct>> GetProductsAsync(string serviceCode, IReadOnlyList<(string Field, string Value)> filters, CancellationToken deadline)
    {
        var uri = Endpoint(AwsEndpoints.Pricing, ApiRegion);
        var operation = $"Pricing GetProducts {serviceCode}";
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Content-Type", "application/x-amz-json-1.1"),
            new("X-Amz-Target", "AWSPriceListService.GetProducts"),
        };
        var listing = new PagedListing(operation, MaxPages, m => new PricingException(m), "; the filters are too broad");
        return await Paging.AllAsync(listing, PageAsync, deadline).ToListAsync(deadline);

        async Task<Page<PriceListProduct>> PageAsync(string? nextToken, CancellationToken cancel)
        {
            var body = new JsonObject
            {
                ["ServiceCode"] = serviceCode,
                ["Filters"] = new JsonArray(filters.Select(f => (JsonNode)new JsonObject { ["Type"] = "TERM_MATCH", ["Field"] = f.Field, ["Value"] = f.Value }).ToArray()),
                ["FormatVersion"] = "aws_v1",
                ["MaxResults"] = 100,
            };
            if (nextToken is not null)
            {
                body["NextToken"] = nextToken;
            }

            using var page = await client.PostAsync(operation, uri, "pricing", ApiRegion, headers, body.ToJsonString(), cancel);
            var root = page.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("PriceList", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new PricingException($"{operation}: malformed answer (no PriceList array)");
            }

            return new Page<PriceListProduct>(
                list.EnumerateArray().Select(item => Parse(serviceCode, item)).ToList(),
                root.TryGetProperty("NextToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null);
        }
    }

    /// <summary>Each item is a JSON document encoded as a string (the API's <c>jsonvalue</c> trait).</summary>
    private static PriceListProduct Parse(string serviceCode, JsonElement item)
    {
        try
        {
            using var document = JsonDocument.Parse(item.GetString() ?? throw new FormatException("a PriceList item is not a string"));
            var root = document.RootElement;
            var product = root.GetProperty("product");
            var attributes = product.GetProperty("attributes").EnumerateObject()
                .ToDictionary(a => a.Name, a => a.Value.GetString() ?? "", StringComparer.Ordinal);
            var dimension = root.GetProperty("terms").GetProperty("OnDemand").EnumerateObject().First().Value
                .GetProperty("priceDimensions").EnumerateObject().First().Value;
            var price = decimal.Parse(dimension.GetProperty("pricePerUnit").GetProperty("USD").GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
            return new PriceListProduct(
                product.GetProperty("sku").GetString()!,
                attributes,
                price,
                dimension.GetProperty("unit").GetString() ?? "",
                root.TryGetProperty("publicationDate", out var published) ? published.GetString() ?? "" : "");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new PricingException($"Pricing GetProducts {serviceCode}: malformed PriceList item ({e.Message})");
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
