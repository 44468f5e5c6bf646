using LlmCost.Infra.Settings;
using LlmCost.CostModel.Vocabulary;

namespace LlmCost.Infra.Tests;

public sealed class StackSettingsTests
{
    private static Action Reading(string stack, params (string Key, string? Value)[] changes) =>
        () => StackSettingsReader.Read(Repo.ConfigWith(stack, changes));

    [Fact]
    public void Read_Stacks_DifferAsDesigned()
    {
        var dev = Repo.Settings("dev");
        var prod = Repo.Settings("prod");

        dev.Router.ReservedConcurrency.Should().Be(5);
        prod.Router.ReservedConcurrency.Should().Be(200);
        dev.Fleet.Should().BeNull();
        prod.Fleet.Should().BeEquivalentTo(new FleetSettings(FleetPlatform.SageMaker, "ml.inf2.xlarge", "llama-3.1-8b-instruct", "llm-cost-prod-fleet", 2000, 0.7m, 2, 10,
            new FleetServingSettings("meta-llama/Llama-3.1-8B-Instruct", null, null, 128, 3600, 3600, 4, 15_000,
                [new FleetSchedule("weekday-open", "cron(0 8 ? * MON-FRI *)", "UTC", 3, 10), new FleetSchedule("weekday-close", "cron(0 20 ? * MON-FRI *)", "UTC", 2, 10)])),
            options => options.Excluding(f => f.Throughput));
        prod.Fleet!.Throughput.Should().Match<FleetThroughput>(t => t.Configured && t.Benchmark == null && t.Nearest!.InstanceSize == "inf2.48xlarge",
            "prod sets 2000 for ml.inf2.xlarge, which has no published benchmark; Llama 3.1 8B has one on inf2.48xlarge");
        prod.Routes.Select(r => r.Name).Should().Equal("small", "small-bedrock", "medium", "large");
        prod.Route("large").InvokeModelId.Should().Be("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        Repo.Settings("staging").Apps.Should().Equal(new AppSettings("support-bot", true, null) { Key = "llm-cost:apps[0]" }, new AppSettings("search", false, null) { Key = "llm-cost:apps[1]" });
    }

    [Fact]
    public void Read_OmittedRouterSettings_TakeDocumentedDefaults()
    {
        var settings = StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:router", null)));

        // Timeout 899 s: a second inside the streamed integration's 900 s (15 minutes).
        settings.Router.Should().Be(new RouterSettings(LambdaArchitecture.Arm64, 512, 899, 10, 30, false, "refuse"));
    }

    [Fact]
    public void Read_RouterTimeoutPastTheStreamedGatewaysWait_IsRefused()
    {
        Reading("dev", ("llm-cost:router", """{"timeoutSeconds":900}""")).Should().Throw<ConfigError>()
            .WithMessage("stacks/Pulumi.dev.yaml: llm-cost:router.timeoutSeconds: expected an integer from 1 to 899, got 900");
    }

    [Fact]
    public void Read_NonNumericMemory_NamesFileKeyAndExpectation()
    {
        Reading("dev", ("llm-cost:router", """{"memoryMb":"lots"}""")).Should().Throw<ConfigError>()
            .WithMessage("stacks/Pulumi.dev.yaml: llm-cost:router.memoryMb: expected an integer from 128 to 10240, got \"lots\"");
    }

    [Fact]
    public void Read_MissingRegion_NamesKey()
    {
        Reading("staging", ("aws:region", null)).Should().Throw<ConfigError>()
            .WithMessage("stacks/Pulumi.staging.yaml: aws:region: is required: expected an AWS region such as us-east-1");
    }

    [Fact]
    public void Read_UnknownProjectKey_ListsKnownKeys()
    {
        Reading("dev", ("llm-cost:budgett", "100")).Should().Throw<ConfigError>()
            .WithMessage("stacks/Pulumi.dev.yaml: llm-cost:budgett: is not a known setting; known: llm-cost:kind, llm-cost:accountStack, llm-cost:router, *");
    }

    [Fact]
    public void Read_MisspelledField_IsRejectedNotDefaulted()
    {
        Reading("dev", ("llm-cost:router", """{"memoryMB":1024}""")).Should().Throw<ConfigError>()
            .WithMessage("stacks/Pulumi.dev.yaml: llm-cost:router.memoryMB: is not a known setting; known here: *memoryMb*");
    }

    [Fact]
    public void Read_FallbackCycle_IsRejected()
    {
        var routes = """[{"name":"aa","model":"amazon.nova-micro-v1:0","maxInputTokens":10,"maxOutputTokens":10,"fallback":"bb"},{"name":"bb","model":"amazon.nova-lite-v1:0","maxInputTokens":10,"maxOutputTokens":10,"fallback":"aa"}]""";

        Reading("dev", ("llm-cost:routes", routes), ("llm-cost:autoRouting", null), ("llm-cost:demand", null)).Should().Throw<ConfigError>()
            .WithMessage("stacks/Pulumi.dev.yaml: llm-cost:routes[0].fallback: fallbacks form a cycle: aa -> bb -> aa");
    }

    [Fact]
    public void Read_FleetRouteWithoutFleet_NamesBackendKey()
    {
        var routes = """[{"name":"small","backend":"fleet","model":"llama","maxInputTokens":10,"maxOutputTokens":10}]""";

        Reading("dev", ("llm-cost:routes", routes), ("llm-cost:autoRouting", null), ("llm-cost:demand", null)).Should().Throw<ConfigError>()
            .WithMessage("stacks/Pulumi.dev.yaml: llm-cost:routes[0].backend: route \"small\" uses the fleet, but the stack has none (llm-cost:fleet.platform)");
    }

    [Fact]
    public void Read_TierNamingUnknownRoute_ListsRoutes()
    {
        Reading("dev", ("llm-cost:autoRouting", """{"tiers":[{"route":"huge","maxScore":1}]}""")).Should().Throw<ConfigError>()
            .WithMessage("stacks/Pulumi.dev.yaml: llm-cost:autoRouting.tiers[0].route: names no route; routes: small, medium");
    }

    [Fact]
    public void Read_WrongInstanceFamilyForPlatform_SaysWhatFits()
    {
        Reading("prod", ("llm-cost:fleet", """{"platform":"sagemaker","instanceType":"ml.g5.48xlarge","modelName":"m","tokensPerSecondPerInstance":100}""")).Should().Throw<ConfigError>()
            .WithMessage("stacks/Pulumi.prod.yaml: llm-cost:fleet.instanceType: expected an Inferentia2 SageMaker instance type (*), got \"ml.g5.48xlarge\"");
    }

    [Fact]
    public void Read_NoApps_IsRejectedBecauseEveryCallerIsAnApp()
    {
        Reading("dev", ("llm-cost:apps", null)).Should().Throw<ConfigError>()
            .WithMessage("stacks/Pulumi.dev.yaml: llm-cost:apps: is required*");
    }

    [Fact]
    public void Read_InvalidRetention_ListsAllowedValues()
    {
        Reading("dev", ("llm-cost:router", """{"logRetentionDays":10}""")).Should().Throw<ConfigError>()
            .WithMessage("stacks/Pulumi.dev.yaml: llm-cost:router.logRetentionDays: expected a CloudWatch Logs retention (1, 3, 5, 7, 14, *), got 10");
    }

    [Fact]
    public void FromPulumiConfigJson_ReadsStringValuesAsPulumiSendsThem()
    {
        var config = StackConfig.FromPulumiConfigJson("dev", "stacks/Pulumi.dev.yaml",
            """{"aws:region":"eu-west-1","llm-cost:router":"{\"memoryMb\":1024}"}""");

        config.Values.Should().Equal(new Dictionary<string, string> { ["aws:region"] = "eu-west-1", ["llm-cost:router"] = """{"memoryMb":1024}""" });
    }

    [Fact]
    public void StackFileReader_StructuredValues_BecomeJsonTextLikePulumiConfig()
    {
        var config = StackFileReader.Read(Repo.Root, "dev");

        config.Values["aws:region"].Should().Be("us-east-1");
        config.Values["llm-cost:router"].Should().Be("""{"architecture":"arm64","memoryMb":512,"timeoutSeconds":28,"reservedConcurrency":5,"logRetentionDays":7}""");
    }

    [Fact]
    public void StackFileReader_UnknownStack_ListsKnownStacks()
    {
        var act = () => StackFileReader.Read(Repo.Root, "qa");

        act.Should().Throw<ConfigError>().WithMessage("stacks/Pulumi.qa.yaml: stack: no such stack file; known stacks: account-nonprod, account-prod, dev, prod, staging");
    }

    [Fact]
    public void Demand_HistoryFileFromConfig_IsReadRelativeToTheProject_AndABadOneNamesTheKey()
    {
        var dir = Directory.CreateTempSubdirectory("llm-cost-demand-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "history.csv"), "timestamp,input_tokens,output_tokens\n2026-11-02T10:00:00Z,100,10\n2026-11-02T10:00:30Z,300,30\n");
            var settings = StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:demand", """{"historyFile":"history.csv"}""")));

            var profile = LlmCost.Infra.Sizing.StackPlanning.Demand(settings, dir, usageFile: null);

            profile.Source.Should().Be("history.csv");
            profile.InputTokensPerRequest.Should().Be(200m);

            File.WriteAllText(Path.Combine(dir, "history.csv"), "timestamp,input_tokens,output_tokens\nsoon,1,1\n");
            var act = () => LlmCost.Infra.Sizing.StackPlanning.Demand(settings, dir, usageFile: null);
            act.Should().Throw<ConfigError>().WithMessage("stacks/Pulumi.dev.yaml: llm-cost:demand.historyFile: *history.csv: line 2: field timestamp: \"soon\" is not a timestamp*");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Demand_RouteSharesMustAddUpToOne()
    {
        Reading("dev", ("llm-cost:demand", """{"routeShares":{"small":0.5,"medium":0.2}}""")).Should().Throw<ConfigError>()
            .WithMessage("stacks/Pulumi.dev.yaml: llm-cost:demand.routeShares: shares must add up to 1, got 0.7");
    }

    [Fact]
    public void Pricing_UnknownSource_ListsTheChoices()
    {
        Reading("dev", ("llm-cost:pricing", """{"source":"guess"}""")).Should().Throw<ConfigError>()
            .WithMessage("stacks/Pulumi.dev.yaml: llm-cost:pricing.source: expected live, snapshot or live-required, got \"guess\"");
    }
}
