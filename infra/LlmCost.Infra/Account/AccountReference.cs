using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Account;

/// <summary>
/// How an environment stack depends on its account stack: a <c>pulumi:pulumi:StackReference</c> to
/// <c>ORG/PROJECT/ACCOUNT-STACK</c>. Pulumi reads it during preview, so an environment whose account stack has not
/// been deployed stops there with "unknown stack", naming the stack to deploy first. The output names are the
/// contract between the two programs and live only here.
/// </summary>
internal static class AccountReference
{
    public const string ConfigKey = Settings.StackFileReader.ProjectNamespace + ":accountStack";
    public const string ApiGatewayLogRoleOutput = "apiGatewayCloudWatchRoleArn";
    public const string BedrockInvocationLogGroupOutput = "bedrockInvocationLogGroup";
    public const string RegionOutput = "region";
    public const string ResourceName = "account-stack";

    public static ReferenceValue Declare(ProgramBuilder program, string accountStack) =>
        program.AddResource(new ResourceDeclaration(ResourceName, "pulumi:pulumi:StackReference", Map(
            ("name", Interpolate(Ref("pulumi", "organization"), "/", Ref("pulumi", "project"), $"/{accountStack}"))), ResourceOptions.None, "account"));
}
