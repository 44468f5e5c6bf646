using LlmCost.Infra.Naming;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.Analytics;

/// <summary>
/// The stack's usage-record bucket: encrypted (SSE-S3, with a bucket key), public access blocked, TLS-only by
/// policy, records to Standard-IA after a while and deleted after the retention, Athena's results under their own
/// prefix and deleted sooner. Its name holds the account and region, so it is unique wherever the stack deploys.
/// </summary>
internal sealed class UsageStore : Component
{
    /// <summary>Where the delivery stream writes records, failed records and Athena its results.</summary>
    public const string RecordsPrefix = "records/";
    public const string ErrorsPrefix = "errors/";
    public const string ResultsPrefix = "athena-results/";

    public UsageStore(Component parent, AnalyticsSettings settings) : base(parent, "store")
    {
        var bucket = Add("bucket", "aws:s3/bucket:Bucket", Map(
            ("bucket", AwsNames.S3BucketNameFor(Context.NamePrefix, Context.AccountId, Context.Region))));
        var id = Ref(bucket.Name, "id");
        var arn = Ref(bucket.Name, "arn");

        Add("encryption", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", Map(
            ("bucket", id),
            ("rules", List(Map(
                ("applyServerSideEncryptionByDefault", Map(("sseAlgorithm", "AES256"))),
                ("bucketKeyEnabled", true))))));
        var block = Add("public-access-block", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", Map(
            ("bucket", id),
            ("blockPublicAcls", true),
            ("blockPublicPolicy", true),
            ("ignorePublicAcls", true),
            ("restrictPublicBuckets", true)));

        // Put after the block: a policy written while S3 still evaluates it as public would be refused.
        Add("policy", "aws:s3/bucketPolicy:BucketPolicy", Map(
            ("bucket", id),
            ("policy", ToJson(Policy(Map(
                ("Sid", "DenyInsecureTransport"),
                ("Effect", "Deny"),
                ("Principal", "*"),
                ("Action", "s3:*"),
                ("Resource", List(arn, Interpolate(arn, "/*"))),
                ("Condition", Map(("Bool", Map(("aws:SecureTransport", "false")))))))))),
            new ResourceOptions { DependsOn = [block.Name] });

        Add("lifecycle", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", Map(
            ("bucket", id),
            ("rules", List(
                Map(("id", "records"), ("status", "Enabled"), ("filter", Map(("prefix", RecordsPrefix))),
                    ("transitions", List(Map(("days", settings.InfrequentAccessAfterDays), ("storageClass", "STANDARD_IA")))),
                    ("expiration", Map(("days", settings.RetentionDays)))),
                Map(("id", "errors"), ("status", "Enabled"), ("filter", Map(("prefix", ErrorsPrefix))),
                    ("expiration", Map(("days", settings.RetentionDays)))),
                Map(("id", "athena-results"), ("status", "Enabled"), ("filter", Map(("prefix", ResultsPrefix))),
                    ("expiration", Map(("days", settings.ResultRetentionDays)))),
                Map(("id", "incomplete-uploads"), ("status", "Enabled"), ("filter", Map(("prefix", ""))),
                    ("abortIncompleteMultipartUpload", Map(("daysAfterInitiation", 1))))))));

        Outputs = new UsageStoreOutputs(id, arn);
    }

    public UsageStoreOutputs Outputs { get; }
}

/// <param name="BucketName">The bucket's name (its id), known at deploy time.</param>
internal sealed record UsageStoreOutputs(Value BucketName, Value BucketArn);
