using LlmCost.CostModel;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.Analytics;

/// <summary>
/// The router's log group to S3: a subscription filter that selects only usage records (by their record type, so
/// the router's other lines never reach the bucket), and an Amazon Data Firehose stream that decompresses the
/// CloudWatch Logs batches and extracts the messages with its own processors (no Lambda), converts each record to
/// Parquet with the Glue table's schema (Athena then reads only the columns a query names, compressed with
/// Snappy), and writes one prefix per UTC day of arrival, failures under their own prefix. Each hop has its own role
/// with only what that hop does.
/// </summary>
internal sealed class UsageDelivery : Component
{
    /// <summary>Selects the router's usage records and nothing else it logs.</summary>
    public static readonly string FilterPattern = $"{{ $.{UsageRecordSchema.RecordType.Name} = \"{UsageRecordSchema.RecordTypeValue}\" }}";

    /// <summary>Firehose's least buffer size when it converts to Parquet (MiB).</summary>
    public const int ParquetBufferMb = 64;

    public UsageDelivery(Component parent, UsageDeliveryArgs args) : base(parent, "delivery")
    {
        var streamName = AwsNames.FirehoseStreamName.Join("-", Context.NamePrefix, "usage");
        var streamArn = Context.Arn("firehose", $"deliverystream/{streamName}");
        var objects = new[] { UsageStore.RecordsPrefix, UsageStore.ErrorsPrefix }.Select(p => (Value)Interpolate(args.Store.BucketArn, $"/{p}*")).ToArray();

        // Firehose writes the bucket and reads the table's schema; the external ID keeps other accounts' streams out.
        var firehoseRole = Add("firehose-role", "aws:iam/role:Role", Map(
            ("description", $"llm-cost {Context.Settings.Stack} usage delivery: write records to the usage bucket, read the table schema"),
            ("assumeRolePolicy", ToJson(AssumedBy("firehose.amazonaws.com", Map(("StringEquals", Map(("sts:ExternalId", Context.AccountId)))))))));
        var firehosePolicy = Add("firehose-policy", "aws:iam/rolePolicy:RolePolicy", Map(
            ("role", Ref(firehoseRole.Name, "id")),
            ("policy", ToJson(Policy(FirehoseStatements(args.Store, args.Catalog, objects))))));

        var stream = Add("stream", "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", Map(
            ("name", streamName),
            ("destination", "extended_s3"),
            ("serverSideEncryption", Map(("enabled", true), ("keyType", "AWS_OWNED_CMK"))),
            ("extendedS3Configuration", Map(
                ("roleArn", Ref(firehoseRole.Name, "arn")),
                ("bucketArn", args.Store.BucketArn),
                ("prefix", $"{UsageStore.RecordsPrefix}{UsageCatalog.PartitionColumn}=!{{timestamp:yyyy-MM-dd}}/"),
                ("errorOutputPrefix", $"{UsageStore.ErrorsPrefix}!{{firehose:error-output-type}}/{UsageCatalog.PartitionColumn}=!{{timestamp:yyyy-MM-dd}}/"),
                ("bufferingInterval", args.Settings.BufferSeconds),
                ("bufferingSize", ParquetBufferMb),
                // Parquet compresses its own pages (Snappy); Firehose refuses a second compression with conversion on.
                ("compressionFormat", "UNCOMPRESSED"),
                ("processingConfiguration", Map(
                    ("enabled", true),
                    ("processors", List(
                        Map(("type", "Decompression"), ("parameters", List(Map(("parameterName", "CompressionFormat"), ("parameterValue", "GZIP"))))),
                        Map(("type", "CloudWatchLogProcessing"), ("parameters", List(Map(("parameterName", "DataMessageExtraction"), ("parameterValue", "true"))))))))),
                ("dataFormatConversionConfiguration", Map(
                    ("enabled", true),
                    ("inputFormatConfiguration", Map(("deserializer", Map(("openXJsonSerDe", Map(("caseInsensitive", true))))))),
                    ("outputFormatConfiguration", Map(("serializer", Map(("parquetSerDe", Map(("compression", "SNAPPY"))))))),
                    ("schemaConfiguration", Map(
                        ("databaseName", args.Catalog.DatabaseName),
                        ("tableName", args.Catalog.TableName),
                        ("roleArn", Ref(firehoseRole.Name, "arn"))))))))),
            new ResourceOptions { DependsOn = [firehosePolicy.Name] });

        // CloudWatch Logs puts the matching events into the stream, for this account's log groups only.
        var logsRole = Add("logs-role", "aws:iam/role:Role", Map(
            ("description", $"llm-cost {Context.Settings.Stack} usage delivery: CloudWatch Logs puts usage records into the stream"),
            ("assumeRolePolicy", ToJson(AssumedBy("logs.amazonaws.com", Map(("StringLike", Map(("aws:SourceArn", Context.Arn("logs", "*"))))))))));
        var logsPolicy = Add("logs-policy", "aws:iam/rolePolicy:RolePolicy", Map(
            ("role", Ref(logsRole.Name, "id")),
            ("policy", ToJson(Policy(Allow("PutUsageRecords", ["firehose:PutRecord", "firehose:PutRecordBatch"], [Ref(stream.Name, "arn")]))))));

        Add("filter", "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", Map(
            ("name", AwsNames.SubscriptionFilterName.Join("-", Context.NamePrefix, "usage-records")),
            ("logGroup", args.RouterLogGroupName),
            ("filterPattern", FilterPattern),
            ("destinationArn", Ref(stream.Name, "arn")),
            ("roleArn", Ref(logsRole.Name, "arn"))),
            new ResourceOptions { DependsOn = [logsPolicy.Name] });

        Outputs = new UsageDeliveryOutputs(Ref(stream.Name, "name"), streamArn);
    }

    public UsageDeliveryOutputs Outputs { get; }

    /// <summary>Exactly what Firehose does: list and locate the bucket, write (and retry) objects under its two prefixes, read the table's schema.</summary>
    private static Value[] FirehoseStatements(UsageStoreOutputs store, UsageCatalogOutputs catalog, Value[] objects) =>
    [
        Allow("LocateBucket", ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], [store.BucketArn]),
        Allow("WriteRecords", ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"], objects),
        Allow("ReadTableSchema", ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"], [catalog.CatalogArn, catalog.DatabaseArn, catalog.TableArn]),
    ];
}

/// <param name="RouterLogGroupName">The router's log group (a reference, so the filter follows the group).</param>
internal sealed record UsageDeliveryArgs(AnalyticsSettings Settings, UsageStoreOutputs Store, UsageCatalogOutputs Catalog, Value RouterLogGroupName);

internal sealed record UsageDeliveryOutputs(Value StreamName, Value StreamArn);
