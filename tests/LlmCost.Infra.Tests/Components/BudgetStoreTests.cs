using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Tests.Components;

/// <summary>The router's budget table, its grant and its part of the router configuration, on printed programs.</summary>
public sealed class BudgetStoreTests
{
    [Fact]
    public void Prod_BudgetedApps_GetAnEncryptedOnDemandTableWithRecoveryAndTtl()
    {
        var query = ProgramQuery.Of(Repo.Synthesize("prod").Program);
        var table = query.Properties("budgets-table");

        table["name"]!.GetValue<string>().Should().Be("llm-cost-prod-budgets");
        table["billingMode"]!.GetValue<string>().Should().Be("PAY_PER_REQUEST");
        table["hashKey"]!.GetValue<string>().Should().Be("pk");
        table["attributes"]!.ToJsonString().Should().Be("""[{"name":"pk","type":"S"}]""");
        table["serverSideEncryption"]!.ToJsonString().Should().Be("""{"enabled":true}""");
        table["pointInTimeRecovery"]!.ToJsonString().Should().Be("""{"enabled":true}""");
        table["ttl"]!.ToJsonString().Should().Be("""{"attributeName":"expiresAt","enabled":true}""");
    }

    [Fact]
    public void Prod_RouterMayOnlyReadAndUpdateItsBudgetTable()
    {
        var query = ProgramQuery.Of(Repo.Synthesize("prod").Program);
        var statement = ProgramQuery.Document(query.Properties("router-policy")["policy"])["Statement"]!.AsArray()
            .Single(s => s!["Sid"]!.GetValue<string>() == "ReserveAndSettleAppBudgets")!;

        statement["Action"]!.ToJsonString().Should().Be("""["dynamodb:GetItem","dynamodb:UpdateItem"]""");
        statement["Resource"]!.ToJsonString().Should().Be("""["${budgets-table.arn}"]""");
    }

    [Fact]
    public void Prod_RouterConfiguration_CarriesTheTableAndEachAppsBudget()
    {
        var document = ProgramQuery.Document(ProgramQuery.Of(Repo.Synthesize("prod").Program)
            .Properties("router-function")["environment"]!["variables"]!["LLM_COST_ROUTER_CONFIG"]);

        document["budgets"]!.ToJsonString().Should().Be("""{"tableName":"llm-cost-prod-budgets","whenUnavailable":"refuse"}""");
        document["apps"]!.AsArray().Select(a => a!["monthlyBudgetUsd"]?.GetValue<decimal>()).Should().Equal(6000m, 3000m, 1000m);
    }

    [Fact]
    public void Dev_NoBudgetedApps_NoTableAndNoGrant()
    {
        var query = ProgramQuery.Of(Repo.Synthesize("dev").Program);

        query.Count("aws:dynamodb/table:Table").Should().Be(0);
        ProgramQuery.Document(query.Properties("router-policy")["policy"]).ToJsonString().Should().NotContain("dynamodb:");
    }

    [Fact]
    public void BudgetStoreUnavailable_Allow_IsCarriedToTheRouter_AndOtherValuesAreRefused()
    {
        var allow = StackSettingsReader.Read(Repo.ConfigWith("prod", ("llm-cost:router", """{"budgetStoreUnavailable":"allow"}""")));
        var act = () => StackSettingsReader.Read(Repo.ConfigWith("prod", ("llm-cost:router", """{"budgetStoreUnavailable":"maybe"}""")));

        Repo.Synthesize(allow).RouterConfiguration.Budgets!.WhenUnavailable.Should().Be("allow");
        act.Should().Throw<ConfigError>().Which.Key.Should().Be("llm-cost:router.budgetStoreUnavailable");
    }
}
