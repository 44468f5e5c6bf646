using System.Text.Json;
using LlmCost.Aws;
using LlmCost.Infra.Components;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Pricing.Live;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Account.Live;

/// <summary>
/// Whether Lambda will accept the router's reserved concurrency in this account and region, asked before
/// <c>pulumi up</c> instead of learned from its failure: <c>GetAccountSettings</c> (the account's limit and what is
/// still unreserved) and <c>GetFunctionConcurrency</c> (what this function already reserves, which a change
/// releases). Lambda documents that at least 100 executions must stay unreserved; accounts with a reduced quota
/// have been seen with a lower minimum, so there the result is a note, not a stop.
/// </summary>
internal sealed class LambdaConcurrencyCheck(AwsJsonClient client, Func<string, string?> environment)
{
    public const int DocumentedUnreservedMinimum = 100;
    private const int DefaultAccountLimit = 1000;

    /// <summary>A note for the plan when the reservation fits or the rule is uncertain; throws <see cref="ConfigError"/> when it cannot fit.</summary>
    public async Task<string> CheckAsync(StackSettings settings, int reserved, CancellationToken deadline)
    {
        var endpoint = AwsEndpoints.Resolve(AwsEndpoints.Lambda, settings.Region, environment).ToString().TrimEnd('/');
        using var account = await client.GetAsync("Lambda GetAccountSettings", new Uri(endpoint + "/2016-08-19/account-settings"), "lambda", settings.Region, deadline);
        var limit = Int(account.RootElement, "ConcurrentExecutions") ?? throw new PricingException("Lambda GetAccountSettings: malformed answer (no AccountLimit.ConcurrentExecutions)");
        var unreserved = Int(account.RootElement, "UnreservedConcurrentExecutions") ?? throw new PricingException("Lambda GetAccountSettings: malformed answer (no AccountLimit.UnreservedConcurrentExecutions)");

        var function = RouterFunction.PhysicalName(settings.Stack);
        var current = 0;
        try
        {
            using var concurrency = await client.GetAsync("Lambda GetFunctionConcurrency", new Uri($"{endpoint}/2019-09-30/functions/{function}/concurrency"), "lambda", settings.Region, deadline);
            current = concurrency.RootElement.ValueKind == JsonValueKind.Object && concurrency.RootElement.TryGetProperty("ReservedConcurrentExecutions", out var r) && r.TryGetInt32(out var n) ? n : 0;
        }
        catch (AwsServiceException e) when (e.Status == 404)
        {
            // The function does not exist yet: it reserves nothing today.
        }

        var left = unreserved + current - reserved;
        var figures = $"account limit {limit}, unreserved {unreserved}{(current > 0 ? $" (+{current} this function reserves now)" : "")}, so reserving {reserved} leaves {left} unreserved";
        if (left >= DocumentedUnreservedMinimum)
        {
            return $"reserved concurrency checked against the account: {figures} (Lambda keeps at least {DocumentedUnreservedMinimum})";
        }

        if (limit >= DefaultAccountLimit)
        {
            throw new ConfigError(settings.Source, RouterSettings.KeyOf("reservedConcurrency"),
                $"{reserved} would not be accepted in this account: {figures}, below Lambda's minimum of {DocumentedUnreservedMinimum}; "
                + $"reserve at most {Math.Max(0, unreserved + current - DocumentedUnreservedMinimum)}, request a higher concurrency quota, or set none");
        }

        return $"reserved concurrency {reserved} may be refused at deploy: {figures}, below the {DocumentedUnreservedMinimum} Lambda documents (this account's quota is reduced, and its minimum may be lower); "
            + "request a concurrency quota increase or set llm-cost:router.reservedConcurrency: none";
    }

    private static int? Int(JsonElement root, string field) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("AccountLimit", out var limit) && limit.ValueKind == JsonValueKind.Object
        && limit.TryGetProperty(field, out var value) && value.TryGetInt32(out var n) ? n : null;
}
