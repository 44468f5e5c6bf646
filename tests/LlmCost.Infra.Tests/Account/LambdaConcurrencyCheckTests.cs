using LlmCost.Aws;
using LlmCost.Infra.Account.Live;
using LlmCost.Infra.Pricing.Live;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Tests.Pricing;

namespace LlmCost.Infra.Tests.Account;

/// <summary>The router's reserved concurrency against Lambda's GetAccountSettings and GetFunctionConcurrency, served locally in their REST-JSON format.</summary>
public sealed class LambdaConcurrencyCheckTests : IAsyncLifetime
{
    private FakeAwsPricingServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeAwsPricingServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<string> Check(string stack, int reserved)
    {
        string? Env(string name) => name == "AWS_ENDPOINT_URL_LAMBDA" ? _server.Endpoint.ToString() : null;
        var client = new AwsJsonClient(new HttpClient(), _ => Task.FromResult(new AwsCredentials("AKIDTEST", "secret-test-key")), TimeProvider.System,
            new RetryPolicy(2, new LlmCost.Aws.Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), () => 0.5), TimeSpan.FromSeconds(5)));
        return new LambdaConcurrencyCheck(client, Env).CheckAsync(Repo.Settings(stack), reserved, CancellationToken.None);
    }

    [Fact]
    public async Task NewFunction_ThatLeavesTheMinimum_IsANoteWithTheFigures()
    {
        _server.LambdaAccount = (1000, 975);

        var note = await Check("prod", 200);

        // 975 unreserved - 200 = 775 left, at least 100.
        note.Should().Be("reserved concurrency checked against the account: account limit 1000, unreserved 975, so reserving 200 leaves 775 unreserved (Lambda keeps at least 100)");
        _server.Requests.Select(r => r.Path).Should().Equal("/2016-08-19/account-settings", "/2019-09-30/functions/llm-cost-prod-router/concurrency");
    }

    [Fact]
    public async Task ExistingReservation_IsReleasedByTheChange()
    {
        // 1000 - 880 other reservations... unreserved 100 includes nothing of ours; ours holds 150 now: 100 + 150 - 140 = 110.
        _server.LambdaAccount = (1000, 100);
        _server.LambdaFunctions["llm-cost-prod-router"] = 150;

        var note = await Check("prod", 140);

        note.Should().Contain("unreserved 100 (+150 this function reserves now), so reserving 140 leaves 110 unreserved");
    }

    [Fact]
    public async Task AtTheDefaultQuota_AReservationBelowTheMinimum_StopsNamingTheKeyAndTheMostThatFits()
    {
        _server.LambdaAccount = (1000, 250);

        var act = () => Check("prod", 200);

        var error = (await act.Should().ThrowAsync<ConfigError>()).Which;
        error.Key.Should().Be("llm-cost:router.reservedConcurrency");
        error.Problem.Should().Contain("leaves 50 unreserved, below Lambda's minimum of 100; reserve at most 150");
    }

    [Fact]
    public async Task ReducedQuotaAccount_IsANoteNotAStop()
    {
        // New accounts often have a limit of 10; the minimum there is not documented.
        _server.LambdaAccount = (10, 10);

        var note = await Check("dev", 5);

        note.Should().StartWith("reserved concurrency 5 may be refused at deploy: account limit 10, unreserved 10, so reserving 5 leaves 5 unreserved");
    }
}
