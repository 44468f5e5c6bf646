using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components;

/// <summary>
/// Who may call the gateway: a Cognito user pool with one OAuth client per consuming app (client-credentials
/// grant, scope <c>llm-cost/invoke</c>). Apps exchange their client secret for a short-lived access token and
/// send it as <c>Authorization: Bearer</c>, which OpenAI clients do with their API-key setting. No anonymous access
/// exists. Client secrets stay in Cognito and the Pulumi state as secrets; they are never printed.
/// </summary>
public sealed class AppIdentity : Component
{
    public const string ResourceServerIdentifier = "llm-cost";
    public const string InvokeScope = ResourceServerIdentifier + "/invoke";

    public AppIdentity(StackContext context) : base(context, "auth")
    {
        var settings = context.Settings;
        UserPool = Add("pool", "aws:cognito/userPool:UserPool", Map(
            ("name", $"{context.NamePrefix}-apps"),
            ("adminCreateUserConfig", Map(("allowAdminCreateUserOnly", true)))));

        Add("domain", "aws:cognito/userPoolDomain:UserPoolDomain", Map(
            ("domain", settings.Gateway.AuthDomainPrefix),
            ("userPoolId", Ref(UserPool.Name, "id"))));

        var server = Add("scopes", "aws:cognito/resourceServer:ResourceServer", Map(
            ("identifier", ResourceServerIdentifier),
            ("name", $"{context.NamePrefix}-gateway"),
            ("userPoolId", Ref(UserPool.Name, "id")),
            ("scopes", List(Map(("scopeName", "invoke"), ("scopeDescription", "Call the llm-cost gateway"))))));

        var clients = new Dictionary<string, ReferenceValue>(StringComparer.Ordinal);
        foreach (var app in settings.Apps)
        {
            clients[app.Name] = Add($"client-{app.Name}", "aws:cognito/userPoolClient:UserPoolClient", Map(
                    ("name", app.Name),
                    ("userPoolId", Ref(UserPool.Name, "id")),
                    ("generateSecret", true),
                    ("allowedOauthFlows", Strings(["client_credentials"])),
                    ("allowedOauthFlowsUserPoolClient", true),
                    ("allowedOauthScopes", Strings([InvokeScope])),
                    ("accessTokenValidity", settings.Gateway.TokenValidityMinutes),
                    ("tokenValidityUnits", Map(("accessToken", "minutes"))),
                    ("enableTokenRevocation", true),
                    ("preventUserExistenceErrors", "ENABLED")),
                new ResourceOptions { DependsOn = [server.Name], AdditionalSecretOutputs = ["clientSecret"] });
        }

        Clients = clients;
        TokenUrl = Interpolate($"https://{settings.Gateway.AuthDomainPrefix}.auth.{context.Region}.amazoncognito.com/oauth2/token");
    }

    public ReferenceValue UserPool { get; }

    /// <summary>App name to its OAuth client resource.</summary>
    public IReadOnlyDictionary<string, ReferenceValue> Clients { get; }

    public Value TokenUrl { get; }
}
