using LlmCost.Infra.Naming;
using LlmCost.Infra.Settings;
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
internal sealed class AppIdentity : Component
{
    public const string ResourceServerIdentifier = "llm-cost";
    public const string InvokeScope = ResourceServerIdentifier + "/invoke";

    public AppIdentity(Component parent, AppIdentityArgs args) : base(parent, "auth")
    {
        var userPool = Add("pool", "aws:cognito/userPool:UserPool", Map(
            ("name", AwsNames.CognitoUserPoolName.Join("-", Context.NamePrefix, "apps")),
            ("adminCreateUserConfig", Map(("allowAdminCreateUserOnly", true)))));

        Add("domain", "aws:cognito/userPoolDomain:UserPoolDomain", Map(
            ("domain", args.DomainPrefix),
            ("userPoolId", Ref(userPool.Name, "id"))));

        var server = Add("scopes", "aws:cognito/resourceServer:ResourceServer", Map(
            ("identifier", ResourceServerIdentifier),
            ("name", AwsNames.CognitoResourceServerName.Join("-", Context.NamePrefix, "gateway")),
            ("userPoolId", Ref(userPool.Name, "id")),
            ("scopes", List(Map(("scopeName", "invoke"), ("scopeDescription", "Call the llm-cost gateway"))))));

        var clients = new Dictionary<string, ReferenceValue>(StringComparer.Ordinal);
        foreach (var app in args.Apps)
        {
            clients[app.Name] = Add($"client-{app.Name}", "aws:cognito/userPoolClient:UserPoolClient", Map(
                    ("name", app.Name),
                    ("userPoolId", Ref(userPool.Name, "id")),
                    ("generateSecret", true),
                    ("allowedOauthFlows", Strings(["client_credentials"])),
                    ("allowedOauthFlowsUserPoolClient", true),
                    ("allowedOauthScopes", Strings([InvokeScope])),
                    ("accessTokenValidity", args.TokenValidityMinutes),
                    ("tokenValidityUnits", Map(("accessToken", "minutes"))),
                    ("enableTokenRevocation", true),
                    ("preventUserExistenceErrors", "ENABLED")),
                new ResourceOptions { DependsOn = [server.Name], AdditionalSecretOutputs = ["clientSecret"] });
        }

        Outputs = new AppIdentityOutputs(userPool, clients,
            Interpolate($"https://{args.DomainPrefix}.auth.{Context.Region}.amazoncognito.com/oauth2/token"));
    }

    public AppIdentityOutputs Outputs { get; }
}

/// <param name="DomainPrefix">The Cognito hosted domain prefix (global across AWS accounts).</param>
internal sealed record AppIdentityArgs(IReadOnlyList<AppSettings> Apps, string DomainPrefix, int TokenValidityMinutes);

/// <param name="Clients">App name to its OAuth client resource (<c>.id</c> is the client ID).</param>
/// <param name="TokenUrl">The OAuth token endpoint apps exchange their client secret at.</param>
internal sealed record AppIdentityOutputs(ReferenceValue UserPool, IReadOnlyDictionary<string, ReferenceValue> Clients, Value TokenUrl);
