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

    /// <summary>Models and endpoint configurations are auto-named by Pulumi (a changed one is created beside the old).</summary>
    public static readonly AwsNameRule SageMakerModelName = new(
        "SageMaker model name", "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", 1, 63, "SageMaker CreateModel: ModelName");

    public static readonly AwsNameRule SageMakerEndpointConfigName = new(
        "SageMaker endpoint configuration name", "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", 1, 63, "SageMaker CreateEndpointConfig: EndpointConfigName");

    public static readonly AwsNameRule ScalingPolicyName = new(
        "Application Auto Scaling policy name", @"[\x20-\x7E]+", 1, 256, "Application Auto Scaling PutScalingPolicy: PolicyName (\\p{Print}+, Java: printable ASCII)");

    /// <summary>No colon, slash or bar, no control characters, no leading or trailing space.</summary>
    public static readonly AwsNameRule ScheduledActionName = new(
        "Application Auto Scaling scheduled action name", @"(?! )[^\u0000-\u001f\u007f-\u009f:/|]+(?<! )", 1, 256, "Application Auto Scaling PutScheduledAction: ScheduledActionName");

    /// <summary>
    /// Global across all accounts: lower case, digits and hyphens (no dots: they break TLS for virtual-hosted
    /// requests), starting and ending with a letter or digit, none of the reserved prefixes and suffixes.
    /// </summary>
    public static readonly AwsNameRule S3BucketName = new(
        "S3 bucket name", "(?!xn--|sthree-|amzn-s3-demo-)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?<!-s3alias|--ol-s3|--x-s3|--table-s3)", 3, 63,
        "S3 bucket naming rules (general purpose buckets)");

    public static readonly AwsNameRule FirehoseStreamName = new(
        "Firehose stream name", "[a-zA-Z0-9_.-]+", 1, 64, "Firehose CreateDeliveryStream: DeliveryStreamName");

    /// <summary>Glue accepts more, but Athena reads only lower-case letters, digits and underscores in database and table names.</summary>
    public static readonly AwsNameRule GlueDatabaseName = new(
        "Glue database name", "[a-z0-9_]+", 1, 255, "Athena: names of databases, tables and columns");

    public static readonly AwsNameRule GlueTableName = new(
        "Glue table name", "[a-z0-9_]+", 1, 255, "Athena: names of databases, tables and columns");

    public static readonly AwsNameRule AthenaWorkgroupName = new(
        "Athena workgroup name", "[a-zA-Z0-9._-]+", 1, 128, "Athena CreateWorkGroup: Name");

    public static readonly AwsNameRule AthenaNamedQueryName = new(
        "Athena named query name", "(?s).+", 1, 128, "Athena CreateNamedQuery: Name");

    public static readonly AwsNameRule SubscriptionFilterName = new(
        "CloudWatch Logs subscription filter name", "[^:*]+", 1, 512, "CloudWatch Logs PutSubscriptionFilter: filterName");

    /// <summary>Unique per account and region; kept to the characters every QuickSight ID accepts.</summary>
    public static readonly AwsNameRule QuickSightId = new(
        "QuickSight data source or dataset ID", "[A-Za-z0-9._-]+", 1, 128, "QuickSight CreateDataSource: DataSourceId; CreateDataSet: DataSetId");

    public static readonly AwsNameRule QuickSightName = new(
        "QuickSight data source or dataset name", "(?s).+", 1, 128, "QuickSight CreateDataSource / CreateDataSet: Name");

    public static readonly AwsNameRule EcsClusterName = new(
        "ECS cluster name", "[a-zA-Z0-9_-]+", 1, 255, "ECS CreateCluster: clusterName (letters, numbers, underscores and hyphens)");

    public static readonly AwsNameRule EcsServiceName = new(
        "ECS service name", "[a-zA-Z0-9_-]+", 1, 255, "ECS CreateService: serviceName (letters, numbers, underscores and hyphens)");

    public static readonly AwsNameRule EcsTaskFamily = new(
        "ECS task definition family", "[a-zA-Z0-9_-]+", 1, 255, "ECS RegisterTaskDefinition: family (letters, numbers, underscores and hyphens)");

    /// <summary>Not starting with aws, ecs or fargate, in any case.</summary>
    public static readonly AwsNameRule EcsCapacityProviderName = new(
        "ECS capacity provider name", "(?!(?i:aws|ecs|fargate))[a-zA-Z0-9_-]+", 1, 255, "ECS CreateCapacityProvider: name (not prefixed with aws, ecs or fargate)");

    /// <summary>Not starting or ending with a hyphen, not starting with "internal-".</summary>
    public static readonly AwsNameRule LoadBalancerName = new(
        "Elastic Load Balancing load balancer name", "(?!internal-)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?", 1, 32,
        "Elastic Load Balancing CreateLoadBalancer: Name (at most 32 alphanumerics or hyphens, not starting with internal-)");

    public static readonly AwsNameRule TargetGroupName = new(
        "Elastic Load Balancing target group name", "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?", 1, 32,
        "Elastic Load Balancing CreateTargetGroup: Name (at most 32 alphanumerics or hyphens, not starting or ending with one)");

    public static readonly AwsNameRule LaunchTemplateName = new(
        "EC2 launch template name", @"[a-zA-Z0-9\(\)\.\-/_]+", 3, 128, "EC2 CreateLaunchTemplate: LaunchTemplateName");

    public static readonly AwsNameRule AutoScalingGroupName = new(
        "Auto Scaling group name", @"[\u0020-\uD7FF\uE000-\uFFFD\t\r\n]+", 1, 255, "Auto Scaling CreateAutoScalingGroup: AutoScalingGroupName (XmlStringMaxLen255)");

    public static readonly AwsNameRule InstanceProfileName = new(
        "IAM instance profile name", @"[\w+=,.@-]+", 1, 128, "IAM CreateInstanceProfile: InstanceProfileName");

    /// <summary>In a VPC: letters, digits, spaces and ._-:/()#,@[]+=&amp;;{}!$*.</summary>
    public static readonly AwsNameRule SecurityGroupDescription = new(
        "EC2 security group description", @"[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]*", 0, 255, "EC2 CreateSecurityGroup: GroupDescription (constraints in a VPC)");

    public static readonly AwsNameRule SecurityGroupName = new(
        "EC2 security group name", @"(?!sg-)[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]+", 1, 255, "EC2 CreateSecurityGroup: GroupName (constraints in a VPC; not starting with sg-)");

    public static readonly AwsNameRule SecurityGroupRuleDescription = new(
        "EC2 security group rule description", @"[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]*", 0, 255, "EC2 AuthorizeSecurityGroupIngress/Egress: Description");

    /// <summary>Not starting with aws or ssm (in any case, with or without a leading slash).</summary>
    public static readonly AwsNameRule SsmParameterName = new(
        "SSM parameter name", @"(?!/?(?i:aws|ssm))[a-zA-Z0-9_.\-/]+", 1, 2048, "Systems Manager PutParameter: Name");

    /// <summary>What stands for the deploy-time account ID when a name that holds it is checked: 12 digits, as every account ID.</summary>
    public const string AccountIdStandIn = "123456789012";

    /// <summary>
    /// A bucket name unique per account and region without a lookup: <c>{prefix}-{account}-{region}</c>, the account
    /// read at deploy time. Checked here with a 12-digit stand-in; a prefix that would make it too long is cut and
    /// ends with a hash of itself.
    /// </summary>
    public static Synthesis.Value S3BucketNameFor(string prefix, Synthesis.ReferenceValue accountId, string region) =>
        Synthesis.Expr.Interpolate($"{S3BucketPrefix(prefix, region)}-", accountId, $"-{region}");

    /// <summary>The same name for an account ID known now (<c>usage fetch</c>, which asks STS for it).</summary>
    public static string S3BucketNameFor(string prefix, string accountId, string region)
    {
        var name = $"{S3BucketPrefix(prefix, region)}-{accountId}-{region}";
        return S3BucketName.Problem(name) is { } problem ? throw new InvalidOperationException(problem) : name;
    }

    private static string S3BucketPrefix(string prefix, string region)
    {
        var room = S3BucketName.MaxLength - AccountIdStandIn.Length - region.Length - 2;
        var shortened = new AwsNameRule("S3 bucket name prefix", S3BucketName.Pattern, 1, room, S3BucketName.Source).Join("-", prefix);
        var problem = S3BucketName.Problem($"{shortened}-{AccountIdStandIn}-{region}");
        return problem is null ? shortened : throw new InvalidOperationException(problem);
    }

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
        ("aws:appautoscaling/policy:Policy", "name") => ScalingPolicyName,
        ("aws:appautoscaling/scheduledAction:ScheduledAction", "name") => ScheduledActionName,
        ("aws:sns/topic:Topic", "name") => SnsTopicName,
        ("aws:dynamodb/table:Table", "name") => DynamoDbTableName,
        ("aws:cloudwatch/metricAlarm:MetricAlarm", "name") => AlarmName,
        ("aws:cloudwatch/metricAlarm:MetricAlarm", "alarmDescription") => AlarmDescription,
        ("aws:kms/key:Key", "description") => KmsKeyDescription,
        ("aws:cloudwatch/dashboard:Dashboard", "dashboardName") => DashboardName,
        ("aws:budgets/budget:Budget", "name") => BudgetName,
        ("aws:cloudwatch/logMetricFilter:LogMetricFilter", "name") => MetricFilterName,
        ("aws:s3/bucket:Bucket", "bucket") => S3BucketName,
        ("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "name") => FirehoseStreamName,
        ("aws:glue/catalogDatabase:CatalogDatabase", "name") => GlueDatabaseName,
        ("aws:glue/catalogTable:CatalogTable", "name") => GlueTableName,
        ("aws:athena/workgroup:Workgroup", "name") => AthenaWorkgroupName,
        ("aws:athena/namedQuery:NamedQuery", "name") => AthenaNamedQueryName,
        ("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "name") => SubscriptionFilterName,
        ("aws:quicksight/dataSource:DataSource", "dataSourceId") => QuickSightId,
        ("aws:quicksight/dataSource:DataSource", "name") => QuickSightName,
        ("aws:quicksight/dataSet:DataSet", "dataSetId") => QuickSightId,
        ("aws:quicksight/dataSet:DataSet", "name") => QuickSightName,
        ("aws:ecs/cluster:Cluster", "name") => EcsClusterName,
        ("aws:ecs/service:Service", "name") => EcsServiceName,
        ("aws:ecs/taskDefinition:TaskDefinition", "family") => EcsTaskFamily,
        ("aws:ecs/capacityProvider:CapacityProvider", "name") => EcsCapacityProviderName,
        ("aws:lb/loadBalancer:LoadBalancer", "name") => LoadBalancerName,
        ("aws:lb/targetGroup:TargetGroup", "name") => TargetGroupName,
        ("aws:ec2/launchTemplate:LaunchTemplate", "name") => LaunchTemplateName,
        ("aws:autoscaling/group:Group", "name") => AutoScalingGroupName,
        ("aws:iam/instanceProfile:InstanceProfile", "name") => InstanceProfileName,
        ("aws:ec2/securityGroup:SecurityGroup", "name") => SecurityGroupName,
        ("aws:ec2/securityGroup:SecurityGroup", "description") => SecurityGroupDescription,
        ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "description") => SecurityGroupRuleDescription,
        ("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "description") => SecurityGroupRuleDescription,
        ("aws:ssm/parameter:Parameter", "name") => SsmParameterName,
        _ => null,
    };

    /// <summary>The rule for a resource's auto-name when the program leaves the name to Pulumi.</summary>
    public static AwsNameRule? ForAutoName(string type) => type switch
    {
        "aws:iam/role:Role" => IamRoleName,
        "aws:sagemaker/model:Model" => SageMakerModelName,
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration" => SageMakerEndpointConfigName,
        "aws:ecs/capacityProvider:CapacityProvider" => EcsCapacityProviderName,
        "aws:lb/targetGroup:TargetGroup" => TargetGroupName,
        "aws:ec2/launchTemplate:LaunchTemplate" => LaunchTemplateName,
        "aws:autoscaling/group:Group" => AutoScalingGroupName,
        "aws:iam/instanceProfile:InstanceProfile" => InstanceProfileName,
        "aws:ec2/securityGroup:SecurityGroup" => SecurityGroupName,
        _ => null,
    };
}
