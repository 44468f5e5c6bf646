using LlmCost.CostModel.Vocabulary;

namespace LlmCost.CostModel;

/// <summary>Checks a router configuration for internal consistency; both the program (before printing) and the function (at start) run it.</summary>
public static class RouterConfigurationValidator
{
    /// <summary>What a document of another version is told; <paramref name="got"/> as it appears in the document.</summary>
    public static string VersionProblem(string got) =>
        $"schemaVersion: expected {RouterConfiguration.CurrentSchemaVersion}, got {got} (program and router are from different releases: deploy the stack again)";

    public static IReadOnlyList<string> Problems(RouterConfiguration config)
    {
        var problems = new List<string>();
        if (config.SchemaVersion != RouterConfiguration.CurrentSchemaVersion)
        {
            problems.Add(VersionProblem(config.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (config.Routes.Count == 0)
        {
            problems.Add("routes: at least one route is required");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < config.Routes.Count; i++)
        {
            var route = config.Routes[i];
            var at = $"routes[{i}]";
            if (!names.Add(route.Name))
            {
                problems.Add($"{at}.name: \"{route.Name}\" appears twice");
            }

            switch (route.Backend, route.Transport)
            {
                case (Backend.Fleet, null):
                    problems.Add($"{at}.transport: a fleet route must say how the fleet is reached ({FleetTransportKinds.Vocabulary.Choices})");
                    break;
                case (Backend.Fleet, { Kind: FleetTransportKind.OpenAiHttp, Url: null }):
                    problems.Add($"{at}.transport.url: {FleetTransportKind.OpenAiHttp.Name()} needs the service's URL");
                    break;
                case (Backend.Fleet, { Kind: FleetTransportKind.SageMakerEndpoint, Url: not null }):
                    problems.Add($"{at}.transport.url: a SageMaker endpoint is named by invokeId, not a URL");
                    break;
                case (Backend.Bedrock, not null):
                    problems.Add($"{at}.transport: only fleet routes have one");
                    break;
            }

            if (route.Transport?.Url is { Text: { } url } && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            {
                problems.Add($"{at}.transport.url: not an absolute http(s) URL");
            }

            if (route.MaxInputTokens <= 0 || route.MaxOutputTokens <= 0)
            {
                problems.Add($"{at}: token limits must be positive");
            }

            var p = route.Prices;
            if (p.InputPer1M < 0 || p.OutputPer1M < 0 || p.CacheReadPer1M < 0 || p.CacheWritePer1M < 0)
            {
                problems.Add($"{at}.prices: prices must not be negative");
            }
        }

        foreach (var route in config.Routes.Where(r => r.Fallback is not null && !names.Contains(r.Fallback)))
        {
            problems.Add($"route \"{route.Name}\": fallback \"{route.Fallback}\" names no route");
        }

        if (config.Auto.Tiers.Count == 0 || config.Auto.Tiers[^1].MaxScore != 1m)
        {
            problems.Add("auto.tiers: the last tier must have maxScore 1");
        }

        foreach (var tier in config.Auto.Tiers.Where(t => !names.Contains(t.Route)))
        {
            problems.Add($"auto.tiers: route \"{tier.Route}\" names no route");
        }

        foreach (var app in config.Apps)
        {
            foreach (var profile in app.Profiles.Where(p => !names.Contains(p.Route)))
            {
                problems.Add($"apps \"{app.Name}\": profile for unknown route \"{profile.Route}\"");
            }
        }

        for (var i = 0; i < config.Apps.Count; i++)
        {
            if (config.Apps[i].MonthlyBudgetUsd is { } budget)
            {
                if (budget <= 0)
                {
                    problems.Add($"apps[{i}].monthlyBudgetUsd: must be positive, got {budget}");
                }

                if (config.Budgets is null)
                {
                    problems.Add($"apps[{i}].monthlyBudgetUsd: set, but budgets (the spend table) is not configured");
                }
            }
        }

        if (config.Budgets is { } store)
        {
            // DynamoDB table names: 3-255 of letters, digits, '_', '-', '.'.
            if (store.TableName.Length is < 3 or > 255 || !store.TableName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                problems.Add($"budgets.tableName: not a DynamoDB table name: \"{store.TableName}\"");
            }

            if (store.WhenUnavailable is not (BudgetStoreConfiguration.Refuse or BudgetStoreConfiguration.Allow))
            {
                problems.Add($"budgets.whenUnavailable: expected refuse or allow, got \"{store.WhenUnavailable}\"");
            }
        }

        if (config.Limits.MaxMessages <= 0 || config.Limits.MaxMessageChars <= 0)
        {
            problems.Add("limits: must be positive");
        }

        return problems;
    }
}
