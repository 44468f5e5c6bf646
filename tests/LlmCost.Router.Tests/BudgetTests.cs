using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Router.Handling;
using LlmCost.Router.Local;
using LlmCost.Router.Tests.Servers;
using Xunit.Abstractions;

namespace LlmCost.Router.Tests;

/// <summary>
/// Budgets against a real DynamoDB-compatible server (dynalite): the worst case is reserved with a conditional write
/// before the call and settled after it, so concurrent requests cannot overshoot; every refusal is a 429
/// budget_exceeded with its record; the store being unreachable does what the configuration says.
/// </summary>
public sealed class BudgetTests(ITestOutputHelper output)
{
    private const string Table = "llm-cost-test-budgets";

    /// <summary>
    /// "hi" to small-bedrock with max_tokens 100: counted 3 (reply) + 3 (message) + 1 ("hi") = 7 input tokens,
    /// calibration 1.0 (too short to learn from), so the worst case is (7 + 100) x 0.22 per 1M = 0.00002354 USD; the
    /// backend reports exactly 7 in and 100 out, so each answer costs its reservation and the arithmetic is exact.
    /// </summary>
    private const string Hi = """{"model":"small-bedrock","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}""";

    private const decimal PerRequestUsd = 0.00002354m;

    /// <summary>prod's apps with support-bot alone given the budget under test (search stays unbudgeted), and the local table.</summary>
    private static RouterConfiguration Config(decimal budget, string whenUnavailable = BudgetStoreConfiguration.Refuse)
    {
        var prod = TestConfig.Prod();
        return prod with
        {
            Apps = [.. prod.Apps.Select(a => a with { MonthlyBudgetUsd = a.Name == "support-bot" ? budget : null })],
            Budgets = new BudgetStoreConfiguration(Table, whenUnavailable),
        };
    }

    private static string MonthKey(string app)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return $"prod#{app}#{now:yyyy-MM}";
    }

    private static Task<RouterHarness> StartRouterAsync(RouterConfiguration config, Uri store, TimeSpan? storeTimeout = null) =>
        RouterHarness.StartAsync(config, extraEnvironment: new Dictionary<string, string> { ["AWS_ENDPOINT_URL_DYNAMODB"] = store.ToString() }, budgetStoreTimeout: storeTimeout);

    [Fact]
    public async Task Chat_200ConcurrentRequestsAgainstABudgetFor50_Exactly50ServedNoOvershootEveryRefusalRecorded()
    {
        await using var store = await DynaliteServer.StartAsync(Table);
        // 50 x 0.00002354 = 0.001177 USD. This test is about reservations under concurrency, not the store's latency:
        // a loaded CI machine must not turn slow dynalite answers into "store unavailable" (that has its own test).
        await using var router = await StartRouterAsync(Config(0.001177m), store.Endpoint, storeTimeout: TimeSpan.FromSeconds(20));
        router.Bedrock.Default = Replies.ConverseOk("ok", 7, 100);
        var clock = Stopwatch.StartNew();

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            router.Handler.HandleAsync(
                LocalHost.ProxyEvent("POST", "/v1/chat/completions", [], Encoding.UTF8.GetBytes(Hi), $"gw-{i}", TestConfig.SupportClient),
                new InvocationInfo($"l-{i}", TimeProvider.System.GetUtcNow().AddSeconds(29), null),
                CancellationToken.None))));

        output.WriteLine($"200 concurrent requests settled in {clock.ElapsedMilliseconds} ms");
        responses.Count(r => r.StatusCode == 200).Should().Be(50);
        responses.Count(r => r.StatusCode == 429).Should().Be(150);
        router.Bedrock.Received.Should().HaveCount(50, "a refused request never reaches the backend");

        var records = router.Records;
        records.Should().HaveCount(200);
        var refused = records.Where(r => r.GetProperty("status").GetInt32() == 429).ToList();
        refused.Should().HaveCount(150).And.OnlyContain(r =>
            r.GetProperty("errorCode").GetString() == "budget_exceeded" && r.GetProperty("budgetCheck").GetString() == "refused"
            && r.GetProperty("outcome").GetString() == "budget_exceeded" && r.GetProperty("costUsd").GetDecimal() == 0m);
        var served = records.Where(r => r.GetProperty("status").GetInt32() == 200).ToList();
        served.Should().OnlyContain(r => r.GetProperty("budgetSettle").GetString() == "settled" && r.GetProperty("costUsd").GetDecimal() == PerRequestUsd);
        served.Sum(r => r.GetProperty("costUsd").GetDecimal()).Should().Be(0.001177m);

        var item = await store.ItemAsync(Table, MonthKey("support-bot"));
        item["spentUsd"].Should().Be(0.001177m);
        item["committedUsd"].Should().Be(0.001177m);
        item["reservedUsd"].Should().Be(0m, "every reservation was settled");
        item["settledRequests"].Should().Be(50m);
        item["budgetUsd"].Should().Be(0.001177m);
        foreach (var record in records)
        {
            EmfCheck.AssertValid(record);
        }
    }

    [Fact]
    public async Task Chat_OverBudget_429NamesSpentReservedBudgetAndReset()
    {
        await using var store = await DynaliteServer.StartAsync(Table);
        await using var router = await StartRouterAsync(Config(0.00003m), store.Endpoint);
        router.Bedrock.Default = Replies.ConverseOk("ok", 7, 100);

        var first = await router.ChatAsync(Hi);
        var second = await router.ChatAsync(Hi);

        first.Status.Should().Be(200);
        first.Record.GetProperty("budgetReservedUsd").GetDecimal().Should().Be(PerRequestUsd);
        second.Status.Should().Be(429);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var reset = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
        second.ErrorMessage.Should().Be($"app support-bot: this request could cost up to 0.00002354 USD; its monthly budget of 0.00003 USD has 0.00002354 USD spent and 0 USD reserved by requests in flight; the budget resets at {reset:yyyy-MM-dd}T00:00:00Z");
        second.Body.GetProperty("error").GetProperty("code").GetString().Should().Be("budget_exceeded");
        second.Headers["x-should-retry"].Should().Be("false");
        long.Parse(second.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(0);
        second.Record.GetProperty("budgetUsd").GetDecimal().Should().Be(0.00003m);
        router.Bedrock.Received.Should().ContainSingle();
    }

    [Fact]
    public async Task Chat_BackendFails_ReservationReleased()
    {
        await using var store = await DynaliteServer.StartAsync(Table);
        await using var router = await StartRouterAsync(Config(1m), store.Endpoint);
        router.Bedrock.Default = Replies.AwsError(403, "AccessDeniedException", "You don't have access to the model with the specified model ID.");

        var result = await router.ChatAsync(Hi);

        result.Status.Should().Be(502);
        result.Record.GetProperty("budgetSettle").GetString().Should().Be("released");
        var item = await store.ItemAsync(Table, MonthKey("support-bot"));
        item["reservedUsd"].Should().Be(0m);
        item["committedUsd"].Should().Be(0m);
        item.ContainsKey("spentUsd").Should().BeFalse("nothing was spent");
    }

    [Theory]
    [InlineData(BudgetStoreConfiguration.Refuse, 503, "refused_store_unavailable")]
    [InlineData(BudgetStoreConfiguration.Allow, 200, "unchecked_store_unavailable")]
    public async Task Chat_StoreUnreachable_DoesWhatTheConfigurationSaysAndRecordsIt(string whenUnavailable, int status, string check)
    {
        // Nothing listens on this port.
        var nowhere = new Uri($"http://127.0.0.1:{DynaliteServer.FreePort()}/");
        // A refused connection is immediate; the generous limit keeps a loaded machine from calling it a timeout.
        await using var router = await StartRouterAsync(Config(1m, whenUnavailable), nowhere, storeTimeout: TimeSpan.FromSeconds(20));

        var result = await router.ChatAsync(Hi);

        result.Status.Should().Be(status);
        result.Record.GetProperty("outcome").GetString().Should().Be(status == 503 ? "backend_error" : "ok");
        result.Record.GetProperty("budgetCheck").GetString().Should().Be(check);
        result.Record.GetProperty("budgetStoreError").GetString().Should().Be("connection_failed");
    }

    [Fact]
    public async Task Chat_StoreHangs_TreatedAsUnreachableAfterTwoSecondsNotTheWholeDeadline()
    {
        await using var hanging = await ScriptedBackend.StartAsync();
        hanging.Default = Replies.Hang(TimeSpan.FromSeconds(30), Replies.Json(200, "{}"));
        await using var router = await StartRouterAsync(Config(1m), hanging.BaseUri);
        var clock = Stopwatch.StartNew();

        var result = await router.ChatAsync(Hi);

        result.Status.Should().Be(503);
        result.Record.GetProperty("budgetStoreError").GetString().Should().Be("timeout");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the store call has its own 2 s limit, not the request's 29 s");
        router.Bedrock.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task Chat_AppWithoutBudget_NoStoreCall()
    {
        var nowhere = new Uri($"http://127.0.0.1:{DynaliteServer.FreePort()}/");
        await using var router = await StartRouterAsync(Config(1m), nowhere);

        var result = await router.ChatAsync(Hi, clientId: TestConfig.SearchClient);

        result.Status.Should().Be(200);
        result.Record.GetProperty("budgetCheck").GetString().Should().Be("none");
    }
}

/// <summary>The budget fields the program adds to the configuration, checked as the function checks them at start.</summary>
public sealed class BudgetConfigurationTests
{
    [Fact]
    public void Validator_BudgetWithoutStoreBadTableAndPolicy_EachNamed()
    {
        var withoutStore = TestConfig.Prod() with { Apps = [new AppConfiguration("a", "c", [], 0m)] };
        var badStore = TestConfig.Prod() with { Budgets = new BudgetStoreConfiguration("x", "maybe") };

        RouterConfigurationValidator.Problems(withoutStore).Should().Equal(
            "apps[0].monthlyBudgetUsd: must be positive, got 0",
            "apps[0].monthlyBudgetUsd: set, but budgets (the spend table) is not configured");
        RouterConfigurationValidator.Problems(badStore).Should().Equal(
            "budgets.tableName: not a DynamoDB table name: \"x\"",
            "budgets.whenUnavailable: expected refuse or allow, got \"maybe\"");
    }

    [Fact]
    public void Document_BudgetFieldsRoundTripAndStayOptional()
    {
        const string json = """
            {"schemaVersion":1,"stack":"s","region":"us-east-1","logPrompts":false,"limits":{"maxMessages":1,"maxMessageChars":1},
             "routes":[],"auto":{"tiers":[],"allowExplicitModels":false},
             "apps":[{"name":"a","clientId":"c","profiles":[],"monthlyBudgetUsd":250.5},{"name":"b","clientId":"d","profiles":[]}],
             "prices":{"source":"snapshot","asOf":"2026-09-10"},"budgets":{"tableName":"llm-cost-prod-budgets","whenUnavailable":"allow"}}
            """;

        var config = JsonSerializer.Deserialize(json, CostModelJsonContext.Default.RouterConfiguration)!;

        config.Apps[0].MonthlyBudgetUsd.Should().Be(250.5m);
        config.Apps[1].MonthlyBudgetUsd.Should().BeNull();
        config.Budgets.Should().Be(new BudgetStoreConfiguration("llm-cost-prod-budgets", "allow"));
    }
}
