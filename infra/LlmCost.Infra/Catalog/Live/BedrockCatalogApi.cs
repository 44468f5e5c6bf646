using System.Globalization;
using System.Text.Json;
using LlmCost.Aws;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Pricing.Live;

namespace LlmCost.Infra.Catalog.Live;

/// <summary>
/// The live answer to "what does Bedrock offer here": the control plane's <c>ListFoundationModels</c>
/// (<c>GET /foundation-models</c>: on-demand or profile-only, lifecycle with its dates) and
/// <c>ListInferenceProfiles</c> (<c>GET /inference-profiles?type=SYSTEM_DEFINED</c>, every page: which geographic
/// profiles carry each model from this region), both REST-JSON signed for <c>bedrock</c>. Enumerations are read as
/// open strings: the live API reports <c>INFERENCE_PROFILE</c>, which its published model does not list.
/// </summary>
internal sealed class BedrockCatalogApi(AwsJsonClient client, Func<string, string?> environment, TimeProvider time)
{
    private const int MaxPages = 50;

    public async Task<BedrockModelCatalog> FetchAsync(string region, CancellationToken deadline)
    {
        var endpoint = AwsEndpoints.Resolve(AwsEndpoints.Bedrock, region, environment).ToString().TrimEnd('/');
        var profilesByModel = await ProfilesAsync(endpoint, region, deadline);

        using var answer = await client.GetAsync("Bedrock ListFoundationModels", new Uri(endpoint + "/foundation-models"), "bedrock", region, deadline);
        if (answer.RootElement.ValueKind != JsonValueKind.Object || !answer.RootElement.TryGetProperty("modelSummaries", out var summaries) || summaries.ValueKind != JsonValueKind.Array)
        {
            throw new PricingException("Bedrock ListFoundationModels: malformed answer (no modelSummaries array)");
        }

        var models = new List<CatalogModel>();
        foreach (var summary in summaries.EnumerateArray())
        {
            if (String(summary, "modelId") is not { } id)
            {
                continue;
            }

            var types = summary.TryGetProperty("inferenceTypesSupported", out var t) && t.ValueKind == JsonValueKind.Array
                ? t.EnumerateArray().Select(v => v.GetString()).ToList()
                : [];
            var lifecycle = summary.TryGetProperty("modelLifecycle", out var l) && l.ValueKind == JsonValueKind.Object ? l : default;
            var status = lifecycle.ValueKind == JsonValueKind.Object ? String(lifecycle, "status") ?? "ACTIVE" : "ACTIVE";
            models.Add(new CatalogModel(
                id,
                status,
                lifecycle.ValueKind == JsonValueKind.Object ? Date(String(lifecycle, "legacyTime")) : null,
                lifecycle.ValueKind == JsonValueKind.Object ? Date(String(lifecycle, "endOfLifeTime")) : null,
                ["Bedrock ListFoundationModels"],
                [new CatalogOffer(region, types.Contains("ON_DEMAND"), profilesByModel.GetValueOrDefault(id)?.Order(StringComparer.Ordinal).ToList() ?? [])]));
        }

        var fetched = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
        return new BedrockModelCatalog(fetched, $"live from {new Uri(endpoint).Host}", models.DistinctBy(m => m.Model).ToList(), LlmCost.CostModel.Vocabulary.PriceOriginKind.Live);
    }

    /// <summary>Model ID to the geographies (profile ID prefixes: us, eu, apac, jp, global, ...) of the system profiles that carry it.</summary>
    private async Task<Dictionary<string, HashSet<string>>> ProfilesAsync(string endpoint, string region, CancellationToken deadline)
    {
        const string Operation = "Bedrock ListInferenceProfiles";
        var byModel = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var listing = new PagedListing(Operation, MaxPages, m => new PricingException(m), "; refusing to page on");
        await foreach (var (model, geography) in Paging.AllAsync(listing, PageAsync, deadline))
        {
            (byModel.TryGetValue(model, out var set) ? set : byModel[model] = new HashSet<string>(StringComparer.Ordinal)).Add(geography);
        }

        return byModel;

        // Each (model ID, geography) a page's system profiles carry.
        async Task<Page<(string Model, string Geography)>> PageAsync(string? next, CancellationToken cancel)
        {
            var query = "?maxResults=1000&type=SYSTEM_DEFINED" + (next is null ? "" : "&nextToken=" + Uri.EscapeDataString(next));
            using var page = await client.GetAsync(Operation, new Uri(endpoint + "/inference-profiles" + query), "bedrock", region, cancel);
            var root = page.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("inferenceProfileSummaries", out var summaries) || summaries.ValueKind != JsonValueKind.Array)
            {
                throw new PricingException($"{Operation}: malformed answer (no inferenceProfileSummaries array)");
            }

            var carried = new List<(string, string)>();
            foreach (var profile in summaries.EnumerateArray())
            {
                if (String(profile, "inferenceProfileId") is not { } id || !id.Contains('.', StringComparison.Ordinal)
                    || !profile.TryGetProperty("models", out var members) || members.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                var geography = id[..id.IndexOf('.', StringComparison.Ordinal)];
                foreach (var member in members.EnumerateArray())
                {
                    if (String(member, "modelArn") is { } arn && arn.IndexOf("foundation-model/", StringComparison.Ordinal) is var at and >= 0)
                    {
                        carried.Add((arn[(at + "foundation-model/".Length)..], geography));
                    }
                }
            }

            return new Page<(string, string)>(carried, String(root, "nextToken"));
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The day of an ISO 8601 timestamp, as the catalog keeps dates.</summary>
    private static string? Date(string? timestamp) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
}
