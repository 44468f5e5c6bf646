using LlmCost.Infra.Components;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Account;

/// <summary>
/// The account stack's program: what AWS allows once per account and region. Environment stacks depend on it
/// through a stack reference (see <see cref="AccountReference"/>), so deploying one into a fresh account stops at
/// preview naming this stack, and destroying an environment leaves these settings alone. The resources are
/// protected: deleting <c>aws:apigateway/account</c> resets the region's setting (provider 7.x) and would break
/// every environment's stage, so removing them takes a deliberate <c>pulumi state unprotect</c>.
/// </summary>
internal static class AccountStack
{
    /// <summary>AWS's managed policy for exactly this role (API Gateway developer guide, "Set up CloudWatch logging").</summary>
    public const string PushToCloudWatchLogsPolicy = "arn:{0}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs";

    public static ProgramDocument Synthesize(AccountSettings settings)
    {
        var program = new ProgramBuilder();
        var accountId = AwsProvider.Declare(program, settings.Region, settings.Stack, settings.Tags);
        var partition = Partitions.Of(settings.Region);
        var keep = new ResourceOptions { Protect = true };

        if (settings.ApiGatewayLogRole)
        {
            // No aws:SourceAccount condition: API Gateway does not set it when it assumes this role, and AWS's own
            // examples for the role have none.
            var role = program.AddResource(new ResourceDeclaration("apigateway-cloudwatch-role", "aws:iam/role:Role", Map(
                ("description", "API Gateway CloudWatch Logs role for this account and region (llm-cost account stack)"),
                ("assumeRolePolicy", ToJson(Component.AssumedBy("apigateway.amazonaws.com")))), keep, "account"));
            var attachment = program.AddResource(new ResourceDeclaration("apigateway-cloudwatch-policy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", Map(
                ("role", Ref(role.Name, "name")),
                ("policyArn", string.Format(System.Globalization.CultureInfo.InvariantCulture, PushToCloudWatchLogsPolicy, partition))), keep, "account"));
            // After the policy: API Gateway checks the role can write logs when the setting is made (IAM propagation).
            program.AddResource(new ResourceDeclaration("apigateway-account", "aws:apigateway/account:Account", Map(
                ("cloudwatchRoleArn", Ref(role.Name, "arn"))), keep with { DependsOn = [attachment.Name] }, "account"));
            program.AddOutput(AccountReference.ApiGatewayLogRoleOutput, Ref(role.Name, "arn"));
        }

        if (settings.BedrockInvocationLogging is { } logging)
        {
            AddInvocationLogging(program, settings, logging, accountId, partition);
        }

        program.AddOutput(AccountReference.RegionOutput, settings.Region);
        return program.Build();
    }

    private static void AddInvocationLogging(ProgramBuilder program, AccountSettings settings, BedrockLoggingSettings logging, ReferenceValue accountId, string partition)
    {
        var logs = program.AddResource(new ResourceDeclaration("bedrock-invocation-logs", "aws:cloudwatch/logGroup:LogGroup", Map(
            ("name", $"/llm-cost/account/{settings.Stack}/bedrock-invocations"),
            ("retentionInDays", logging.RetentionDays)), new ResourceOptions { Protect = true }, "account"));
        var role = program.AddResource(new ResourceDeclaration("bedrock-logging-role", "aws:iam/role:Role", Map(
            ("description", "Lets Bedrock write this account's model invocation logs in this region"),
            ("assumeRolePolicy", ToJson(Component.AssumedBy("bedrock.amazonaws.com", Map(
                ("StringEquals", Map(("aws:SourceAccount", accountId))),
                ("ArnLike", Map(("aws:SourceArn", Interpolate($"arn:{partition}:bedrock:{settings.Region}:", accountId, ":*"))))))))), ResourceOptions.None, "account"));
        var policy = program.AddResource(new ResourceDeclaration("bedrock-logging-policy", "aws:iam/rolePolicy:RolePolicy", Map(
            ("role", Ref(role.Name, "id")),
            ("policy", ToJson(Component.Policy(Component.Allow(
                "WriteInvocationLogs",
                ["logs:CreateLogStream", "logs:PutLogEvents"],
                [Interpolate(Ref(logs.Name, "arn"), ":log-stream:aws/bedrock/modelinvocations")]))))), ResourceOptions.None, "account"));
        program.AddResource(new ResourceDeclaration("bedrock-invocation-logging", "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration", Map(
                ("loggingConfig", Map(
                    ("cloudwatchConfig", Map(("logGroupName", Ref(logs.Name, "name")), ("roleArn", Ref(role.Name, "arn")))),
                    ("textDataDeliveryEnabled", logging.LogPromptText),
                    ("imageDataDeliveryEnabled", false),
                    ("embeddingDataDeliveryEnabled", false),
                    ("videoDataDeliveryEnabled", false)))),
            new ResourceOptions { DependsOn = [policy.Name], Protect = true }, "account"));
        program.AddOutput(AccountReference.BedrockInvocationLogGroupOutput, Ref(logs.Name, "name"));
    }
}
