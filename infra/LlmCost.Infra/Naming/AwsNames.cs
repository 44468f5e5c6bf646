namespace LlmCost.Infra.Naming;

/// <summary>
/// The one home of AWS's rules for the physical names and descriptions this program prints, keyed by Pulumi
/// resource type and property. Patterns and limits are the API references' own (the <c>pattern</c>,
/// <c>min</c> and <c>max</c> of each shape in the AWS API models, as of 2026-11). Components build names with
/// <see cref="AwsNameRule.Join"/>; tests run every printed name through <see cref="For"/>.
/// </summary>
internal static class AwsNames
{
    public static readonly AwsNameRule InferenceProfileName = new(
        "Bedrock inference profile name", "([0-9a-zA-Z][ _-]?)+", 1, 64,
        "Bedrock CreateInferenceProfile: inferenceProfileName");

    /// <summary>No commas, colons only as listed, no two separators in a row.</summary>
    public static readonly AwsNameRule InferenceProfileDescription = new(
        "Bedrock inference profile description", "([0-9a-zA-Z:.][ _-]?)+", 1, 200,
        "Bedrock CreateInferenceProfile: description");

    public static readonly AwsNameRule BedrockTagKey = new(
        "Bedrock tag key", @"[a-zA-Z0-9\s._:/=+@-]*", 1, 128, "Bedrock TagResource: Tag.key");

    public static readonly AwsNameRule BedrockTagValue = new(
        "Bedrock tag value", @"[a-zA-Z0-9\s._:/=+@-]*", 0, 256, "Bedrock TagResource: Tag.value");

    public static readonly AwsNameRule LambdaFunctionName = new(
        "Lambda function name", "[a-zA-Z0-9_-]+", 1, 64, "Lambda CreateFunction: FunctionName (unqualified)");

    public static readonly AwsNameRule LambdaDescription = new(
        "Lambda function description", "(?s).*", 0, 256, "Lambda CreateFunction: Description");

    public static readonly AwsNameRule IamRoleName = new(
        "IAM role name", @"[\w+=,.@-]+", 1, 64, "IAM CreateRole: RoleName");

    public static readonly AwsNameRule IamRoleDescription = new(
        "IAM role description", @"[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*", 0, 1000, "IAM CreateRole: Description");

    public static readonly AwsNameRule LogGroupName = new(
        "CloudWatch Logs log group name", @"[\.\-_/#A-Za-z0-9]+", 1, 512, "CloudWatch Logs CreateLogGroup: logGroupName");

    public static readonly AwsNameRule CognitoUserPoolName = new(
        "Cognito user pool name", @"[\w\s+=,.@-]+", 1, 128, "Cognito CreateUserPool: PoolName");

    public static readonly AwsNameRule CognitoClientName = new(
        "Cognito app client name", @"[\w\s+=,.@-]+", 1, 128, "Cognito CreateUserPoolClient: ClientName");

    public static readonly AwsNameRule CognitoResourceServerName = new(
        "Cognito resource server name", @"[\w\s+=,.@-]+", 1, 256, "Cognito CreateResourceServer: Name");

    public static readonly AwsNameRule CognitoResourceServerIdentifier = new(
        "Cognito resource server identifier", @"[\x21\x23-\x5B\x5D-\x7E]+", 1, 256, "Cognito CreateResourceServer: Identifier");

    /// <summary>Global across all AWS accounts in the region: the stack config names it, and only the owner can use it.</summary>
    public static readonly AwsNameRule CognitoDomainPrefix = new(
        "Cognito domain prefix", "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", 1, 63, "Cognito CreateUserPoolDomain: Domain");

    public static readonly AwsNameRule ApiGatewayStageName = new(
        "API Gateway stage name", "[a-zA-Z0-9_-]+", 1, 128, "API Gateway CreateStage: stageName");

    public static readonly AwsNameRule ApiGatewayModelName = new(
        "API Gateway model name", "[a-zA-Z0-9]+", 1, 128, "API Gateway CreateModel: name (alphanumeric)");

    public static readonly AwsNameRule SageMakerEndpointName = new(
        "SageMaker endpoint name", "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", 1, 63, "SageMaker CreateEndpoint: EndpointName");

    public static readonly AwsNameRule SnsTopicName = new(
        "SNS topic name", "[A-Za-z0-9_-]+", 1, 256, "SNS CreateTopic: Name");

    public static readonly AwsNameRule AlarmName = new(
        "CloudWatch alarm name", @"[^\u0000-\u001F]+", 1, 255, "CloudWatch PutMetricAlarm: AlarmName");

    public static readonly AwsNameRule AlarmDescription = new(
        "CloudWatch alarm description", "(?s).*", 0, 1024, "CloudWatch PutMetricAlarm: AlarmDescription");

    public static readonly AwsNameRule KmsKeyDescription = new(
        "KMS key description", "(?s).*", 0, 8192, "KMS CreateKey: Description");

    public static readonly AwsNameRule DashboardName = new(
        "CloudWatch dashboard name", "[A-Za-z0-9_-]+", 1, 255, "CloudWatch PutDashboard: DashboardName (alphanumerics, - and _)");

    public static readonly AwsNameRule BudgetName = new(
        "AWS Budgets budget name", @"[^:\\]+", 1, 100, "Budgets CreateBudget: BudgetName");

    public static readonly AwsNameRule MetricFilterName = new(
        "CloudWatch Logs metric filter name", "[^:*]+", 1, 512, "CloudWatch Logs PutMetricFilter: filterName");

    public static readonly AwsNameRule DynamoDbTableName = new(
        "DynamoDB table name", "[a-zA-Z0-9_.-]+", 3, 255, "DynamoDB CreateTable: TableName");

    /// <summary>Pulumi's auto-name is the logical name, a hyphen and 7 random characters.</summary>
    public const int PulumiAutoNameSuffix = 8;

    /// <summary>The rule for a printed property of a resource type, or null where AWS sets none worth checking.</summary>
    public static AwsNameRule? For(string type, string property) => (type, property) switch
    {
        ("aws:bedrock/inferenceProfile:InferenceProfile", "name") => InferenceProfileName,
        ("aws:bedrock/inferenceProfile:InferenceProfile", "description") => InferenceProfileDescription,
        ("aws:lambda/function:Function", "name") => LambdaFunctionName,
        ("aws:lambda/function:Function", "description") => LambdaDescription,
        ("aws:iam/role:Role", "name") => IamRoleName,
        ("aws:iam/role:Role", "description") => IamRoleDescription,
        ("aws:cloudwatch/logGroup:LogGroup", "name") => LogGroupName,
        ("aws:cognito/userPool:UserPool", "name") => CognitoUserPoolName,
        ("aws:cognito/userPoolClient:UserPoolClient", "name") => CognitoClientName,
        ("aws:cognito/resourceServer:ResourceServer", "name") => CognitoResourceServerName,
        ("aws:cognito/resourceServer:ResourceServer", "identifier") => CognitoResourceServerIdentifier,
        ("aws:cognito/userPoolDomain:UserPoolDomain", "domain") => CognitoDomainPrefix,
        ("aws:apigateway/stage:Stage", "stageName") => ApiGatewayStageName,
        ("aws:apigateway/model:Model", "name") => ApiGatewayModelName,
        ("aws:sagemaker/endpoint:Endpoint", "name") => SageMakerEndpointName,
        ("aws:sns/topic:Topic", "name") => SnsTopicName,
        ("aws:dynamodb/table:Table", "name") => DynamoDbTableName,
        ("aws:cloudwatch/metricAlarm:MetricAlarm", "name") => AlarmName,
        ("aws:cloudwatch/metricAlarm:MetricAlarm", "alarmDescription") => AlarmDescription,
        ("aws:kms/key:Key", "description") => KmsKeyDescription,
        ("aws:cloudwatch/dashboard:Dashboard", "dashboardName") => DashboardName,
        ("aws:budgets/budget:Budget", "name") => BudgetName,
        ("aws:cloudwatch/logMetricFilter:LogMetricFilter", "name") => MetricFilterName,
        _ => null,
    };

    /// <summary>The rule for a resource's auto-name when the program leaves the name to Pulumi.</summary>
    public static AwsNameRule? ForAutoName(string type) => type switch
    {
        "aws:iam/role:Role" => IamRoleName,
        _ => null,
    };
}
