namespace LlmCost.Infra.Tests.Components;

/// <summary>Who may call the gateway: the user pool, its hosted domain and one OAuth client per app, on printed programs.</summary>
public sealed class AppIdentityTests
{
    [Theory]
    // The stack files' llm-cost:gateway.tokenValidityMinutes: dev 60, prod 30; staging leaves it unset (default 60).
    [InlineData("dev", 60)]
    [InlineData("staging", 60)]
    [InlineData("prod", 30)]
    public void AppIdentity_OneClientPerAppWithTheStacksTokenValidity(string stack, int tokenValidityMinutes)
    {
        var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);

        var clients = query.OfType("aws:cognito/userPoolClient:UserPoolClient").ToList();

        // One client per entry of the stack file's llm-cost:apps, named after it.
        clients.Select(c => c.Name).Should().Equal(StackFileLiterals.Apps(stack).Select(a => $"auth-client-{a}"));
        foreach (var (name, client) in clients)
        {
            var p = client["properties"]!;
            p["name"]!.GetValue<string>().Should().Be(name["auth-client-".Length..]);
            p["userPoolId"]!.GetValue<string>().Should().Be("${auth-pool.id}", name);
            p["accessTokenValidity"]!.GetValue<int>().Should().Be(tokenValidityMinutes, name);
            p["tokenValidityUnits"]!.ToJsonString().Should().Be("""{"accessToken":"minutes"}""", name);
            p["allowedOauthScopes"]!.ToJsonString().Should().Be("""["llm-cost/invoke"]""", name);
            p["enableTokenRevocation"]!.GetValue<bool>().Should().BeTrue(name);
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void AppIdentity_HostedDomainIsTheStacksAuthDomainPrefix(string stack)
    {
        var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);

        // Every stack file: llm-cost:gateway.authDomainPrefix example-llm-cost-{stack}.
        query.Properties("auth-domain")["domain"]!.GetValue<string>().Should().Be($"example-llm-cost-{stack}");
        query.Properties("auth-domain")["userPoolId"]!.GetValue<string>().Should().Be("${auth-pool.id}");
        query.Properties("auth-scopes")["identifier"]!.GetValue<string>().Should().Be("llm-cost");
        query.Properties("auth-pool")["adminCreateUserConfig"]!.ToJsonString().Should().Be("""{"allowAdminCreateUserOnly":true}""");
    }
}
