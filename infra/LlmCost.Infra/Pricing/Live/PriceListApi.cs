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

    public async Task<IReadOnlyList<PriceListProduct>> GetProductsAsync(string serviceCode, IReadOnlyList<(string Field, string Value)> filters, CancellationToken deadline)
    {
        var uri = Endpoint(AwsEndpoints.Pricing, ApiRegion);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Content-Type", "application/x-amz-json-1.1"),
            new("X-Amz-Target", "AWSPriceListService.GetProducts"),
        };
        var products = new List<PriceListProduct>();
        string? nextToken = null;
        var pages = 0;
        do
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

            using var page = await client.PostAsync($"Pricing GetProducts {serviceCode}", uri, "pricing", ApiRegion, headers, body.ToJsonString(), deadline);
            var root = page.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("PriceList", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new PricingException($"Pricing GetProducts {serviceCode}: malformed answer (no PriceList array)");
            }

            foreach (var item in list.EnumerateArray())
            {
                products.Add(Parse(serviceCode, item));
            }

            nextToken = root.TryGetProperty("NextToken", out var token) && token.ValueKind == JsonValueKind.String && token.GetString()!.Length > 0 ? token.GetString() : null;
            if (++pages > 200)
            {
                throw new PricingException($"Pricing GetProducts {serviceCode}: more than 200 pages; the filters are too broad");
            }
        }
        while (nextToken is not null);

        return products;
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
