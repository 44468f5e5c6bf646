using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmCost.CostModel;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Tests.Components;

/// <summary>The usage-analytics pipeline (bucket, catalog, delivery, workgroup and named queries), on printed programs.</summary>
public sealed class UsageAnalyticsTests
{
    private static ProgramQuery Dev() => ProgramQuery.Of(Repo.Synthesize("dev").Program);

    private static JsonArray Statements(ProgramQuery query, string policy) =>
        ProgramQuery.Document(query.Properties(policy)["policy"])["Statement"]!.AsArray();

    [Fact]
    public void Dev_Bucket_IsNamedForAccountAndRegion_EncryptedBlockedAndTlsOnly()
    {
        var query = Dev();

        query.Properties("analytics-store-bucket")["bucket"]!.GetValue<string>().Should().Be("llm-cost-dev-${accountId}-us-east-1");
        query.Properties("analytics-store-encryption")["rules"]!.ToJsonString().Should()
            .Be("""[{"applyServerSideEncryptionByDefault":{"sseAlgorithm":"AES256"},"bucketKeyEnabled":true}]""");
        query.Properties("analytics-store-public-access-block").ToJsonString().Should()
            .Be("""{"bucket":"${analytics-store-bucket.id}","blockPublicAcls":true,"blockPublicPolicy":true,"ignorePublicAcls":true,"restrictPublicBuckets":true}""");
        Statements(query, "analytics-store-policy").ToJsonString().Should().Be(
            """[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["${analytics-store-bucket.arn}","${analytics-store-bucket.arn}/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]""");
    }

    [Fact]
    public void Dev_Lifecycle_FollowsTheStackFile()
    {
        // stacks/Pulumi.dev.yaml: retentionDays 90; infrequentAccessAfterDays and resultRetentionDays by default (30, 7).
        var rules = Dev().Properties("analytics-store-lifecycle")["rules"]!.AsArray();

        rules[0]!.ToJsonString().Should().Be(
            """{"id":"records","status":"Enabled","filter":{"prefix":"records/"},"transitions":[{"days":30,"storageClass":"STANDARD_IA"}],"expiration":{"days":90}}""");
        rules[1]!.ToJsonString().Should().Be("""{"id":"errors","status":"Enabled","filter":{"prefix":"errors/"},"expiration":{"days":90}}""");
        rules[2]!.ToJsonString().Should().Be("""{"id":"athena-results","status":"Enabled","filter":{"prefix":"athena-results/"},"expiration":{"days":7}}""");
    }

    [Fact]
    public void GlueColumns_AreTheSchemasFieldsAndTypes()
    {
        var table = Dev().Properties("analytics-catalog-table");
        var columns = table["storageDescriptor"]!["columns"]!.AsArray().Select(c => (c!["name"]!.GetValue<string>(), c["type"]!.GetValue<string>())).ToList();

        columns.Should().Equal(UsageRecordSchema.Fields.Select(f => (f.Name.ToLowerInvariant(), f.GlueType)));
        columns.Should().HaveCount(54);
        columns.Should().Contain([("costusd", "double"), ("inputtokens", "bigint"), ("backendfailures", "array<string>"), ("lambdarequestid", "string"), ("clientgone", "boolean")]);
    }

    [Fact]
    public void GlueTable_IsParquet_WithDayPartitionProjection()
    {
        var table = Dev().Properties("analytics-catalog-table");

        table["name"]!.GetValue<string>().Should().Be("usage_records");
        table["databaseName"]!.GetValue<string>().Should().Be("${analytics-catalog-database.name}");
        table["partitionKeys"]!.AsArray().Single()!["name"]!.GetValue<string>().Should().Be("dt");
        table["parameters"]!.ToJsonString().Should().Be(
            """{"classification":"parquet","projection.enabled":"true","projection.dt.type":"date","projection.dt.format":"yyyy-MM-dd","projection.dt.range":"2026-01-01,NOW","projection.dt.interval":"1","projection.dt.interval.unit":"DAYS","storage.location.template":"s3://${analytics-store-bucket.id}/records/dt=$${dt}/"}""");
        table["storageDescriptor"]!["serDeInfo"]!["serializationLibrary"]!.GetValue<string>().Should().Be("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
        Dev().Properties("analytics-catalog-database")["name"]!.GetValue<string>().Should().Be("llm_cost_dev");
    }

    [Fact]
    public void Delivery_SelectsOnlyUsageRecords_DecompressesAndExtractsWithFirehoseProcessors_WritesParquetByDay()
    {
        var query = Dev();
        var filter = query.Properties("analytics-delivery-filter");
        var s3 = query.Properties("analytics-delivery-stream")["extendedS3Configuration"]!;

        filter["filterPattern"]!.GetValue<string>().Should().Be("""{ $.recordType = "llm-cost.usage" }""");
        filter["logGroup"]!.GetValue<string>().Should().Be("${router-logs.name}");
        filter["destinationArn"]!.GetValue<string>().Should().Be("${analytics-delivery-stream.arn}");
        s3["processingConfiguration"]!.ToJsonString().Should().Be(
            """{"enabled":true,"processors":[{"type":"Decompression","parameters":[{"parameterName":"CompressionFormat","parameterValue":"GZIP"}]},{"type":"CloudWatchLogProcessing","parameters":[{"parameterName":"DataMessageExtraction","parameterValue":"true"}]}]}""");
        s3["prefix"]!.GetValue<string>().Should().Be("records/dt=!{timestamp:yyyy-MM-dd}/");
        s3["errorOutputPrefix"]!.GetValue<string>().Should().Be("errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/");
        (s3["bufferingInterval"]!.GetValue<int>(), s3["bufferingSize"]!.GetValue<int>(), s3["compressionFormat"]!.GetValue<string>()).Should().Be((300, 64, "UNCOMPRESSED"));
        s3["dataFormatConversionConfiguration"]!["outputFormatConfiguration"]!.ToJsonString().Should().Be("""{"serializer":{"parquetSerDe":{"compression":"SNAPPY"}}}""");
        s3["dataFormatConversionConfiguration"]!["schemaConfiguration"]!.ToJsonString().Should().Be(
            """{"databaseName":"${analytics-catalog-database.name}","tableName":"${analytics-catalog-table.name}","roleArn":"${analytics-delivery-firehose-role.arn}"}""");
        query.Properties("analytics-delivery-stream")["name"]!.GetValue<string>().Should().Be("llm-cost-dev-usage");
    }

    [Fact]
    public void DeliveryRoles_GrantExactlyWhatEachHopNeeds()
    {
        var query = Dev();

        Statements(query, "analytics-delivery-logs-policy").ToJsonString().Should().Be(
            """[{"Sid":"PutUsageRecords","Effect":"Allow","Action":["firehose:PutRecord","firehose:PutRecordBatch"],"Resource":["${analytics-delivery-stream.arn}"]}]""");
        ProgramQuery.Document(query.Properties("analytics-delivery-logs-role")["assumeRolePolicy"]).ToJsonString().Should().Be(
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"logs.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringLike":{"aws:SourceArn":"arn:aws:logs:us-east-1:${accountId}:*"}}}]}""");
        Statements(query, "analytics-delivery-firehose-policy").ToJsonString().Should().Be(
            "[" +
            """{"Sid":"LocateBucket","Effect":"Allow","Action":["s3:GetBucketLocation","s3:ListBucket","s3:ListBucketMultipartUploads"],"Resource":["${analytics-store-bucket.arn}"]},""" +
            """{"Sid":"WriteRecords","Effect":"Allow","Action":["s3:AbortMultipartUpload","s3:GetObject","s3:PutObject"],"Resource":["${analytics-store-bucket.arn}/records/*","${analytics-store-bucket.arn}/errors/*"]},""" +
            """{"Sid":"ReadTableSchema","Effect":"Allow","Action":["glue:GetTable","glue:GetTableVersion","glue:GetTableVersions"],"Resource":["arn:aws:glue:us-east-1:${accountId}:catalog","arn:aws:glue:us-east-1:${accountId}:database/llm_cost_dev","arn:aws:glue:us-east-1:${accountId}:table/llm_cost_dev/usage_records"]}""" +
            "]");
        ProgramQuery.Document(query.Properties("analytics-delivery-firehose-role")["assumeRolePolicy"])["Statement"]![0]!["Condition"]!.ToJsonString().Should()
            .Be("""{"StringEquals":{"sts:ExternalId":"${accountId}"}}""");
    }

    [Theory]
    [InlineData("dev", 1_073_741_824L)]
    [InlineData("prod", 10_737_418_240L)]
    public void Workgroup_EnforcesItsSettings_ScanLimitFromTheStackFile_EncryptedResults(string stack, long cutoffBytes)
    {
        var configuration = ProgramQuery.Of(Repo.Synthesize(stack).Program).Properties("analytics-queries-workgroup")["configuration"]!;

        configuration["enforceWorkgroupConfiguration"]!.GetValue<bool>().Should().BeTrue();
        configuration["bytesScannedCutoffPerQuery"]!.GetValue<long>().Should().Be(cutoffBytes);
        configuration["resultConfiguration"]!.ToJsonString().Should().Be(
            """{"outputLocation":"s3://${analytics-store-bucket.id}/athena-results/","encryptionConfiguration":{"encryptionOption":"SSE_S3"}}""");
    }

    [Fact]
    public void NamedQueries_OnePerSqlFile_WithTheFilesText()
    {
        var query = Dev();
        var named = query.OfType("aws:athena/namedQuery:NamedQuery").ToDictionary(q => q.Name, q => q.Resource["properties"]!);
        var files = Directory.GetFiles(Path.Combine(Repo.Root, "analytics", "queries"), "*.sql").Select(Path.GetFileNameWithoutExtension).Order().ToList();

        files.Should().Equal("cost_by_app", "cost_by_day", "cost_by_model_route", "cost_by_user", "limits_and_fallbacks", "most_expensive_requests", "spend_vs_forecast", "token_trend");
        named.Keys.Should().BeEquivalentTo(files.Select(f => $"analytics-queries-query-{f!.Replace('_', '-')}"));
        named["analytics-queries-query-cost-by-app"]["query"]!.GetValue<string>().Should()
            .Be(File.ReadAllText(Path.Combine(Repo.Root, "analytics", "queries", "cost_by_app.sql")).ReplaceLineEndings("\n").Trim());
        named["analytics-queries-query-cost-by-app"]["name"]!.GetValue<string>().Should().Be("llm-cost-dev-cost_by_app");
        named["analytics-queries-query-cost-by-app"]["database"]!.GetValue<string>().Should().Be("${analytics-catalog-database.name}");
        named["analytics-queries-query-cost-by-app"]["workgroup"]!.GetValue<string>().Should().Be("${analytics-queries-workgroup.name}");
        var forecast = named["analytics-queries-query-spend-vs-forecast"]["query"]!.GetValue<string>();
        forecast.Should().NotContain("{{");
        Regex.IsMatch(forecast, @"round\(sum\(costUsd\) / nullif\(\d+\.\d{2}, 0\), 4\) AS share_of_p50").Should().BeTrue(forecast);
    }

    [Fact]
    public void Prod_QuickSight_AthenaDataSourceOnTheWorkgroup_AndDatasetsSharedWithTheConfiguredGroup()
    {
        // stacks/Pulumi.prod.yaml: quickSightPrincipalArn arn:aws:quicksight:us-east-1:123456789012:group/default/llm-cost-analysts.
        const string principal = "arn:aws:quicksight:us-east-1:123456789012:group/default/llm-cost-analysts";
        var query = ProgramQuery.Of(Repo.Synthesize("prod").Program);
        var source = query.Properties("analytics-quicksight-data-source");
        var datasets = query.OfType("aws:quicksight/dataSet:DataSet").ToDictionary(d => d.Name, d => d.Resource["properties"]!);

        source["type"]!.GetValue<string>().Should().Be("ATHENA");
        source["parameters"]!.ToJsonString().Should().Be("""{"athena":{"workGroup":"${analytics-queries-workgroup.name}"}}""");
        source["permissions"]![0]!["principal"]!.GetValue<string>().Should().Be(principal);
        datasets.Should().HaveCount(9);
        var table = datasets["analytics-quicksight-dataset-usage-records"]["physicalTableMaps"]![0]!["relationalTable"]!;
        (table["schema"]!.GetValue<string>(), table["name"]!.GetValue<string>()).Should().Be(("llm_cost_prod", "usage_records"));
        table["inputColumns"]!.AsArray().Should().HaveCount(52, "54 fields less the two lists QuickSight cannot type");
        datasets["analytics-quicksight-dataset-cost-by-app"]["physicalTableMaps"]![0]!["customSql"]!["sqlQuery"]!.GetValue<string>().Should()
            .Be(File.ReadAllText(Path.Combine(Repo.Root, "analytics", "queries", "cost_by_app.sql")).ReplaceLineEndings("\n").Trim());
        datasets.Values.Should().AllSatisfy(d => d["permissions"]![0]!["principal"]!.GetValue<string>().Should().Be(principal));
        Dev().Count("aws:quicksight/dataSource:DataSource").Should().Be(0);
    }

    [Fact]
    public void Disabled_NoAnalyticsResources()
    {
        var settings = StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:analytics", """{"enabled":false}""")));
        var query = ProgramQuery.Of(Repo.Synthesize(settings).Program);

        query.Resources.Select(r => r.Key).Should().NotContain(k => k.StartsWith("analytics-", StringComparison.Ordinal));
        query.Output("usageAnalytics").Should().BeNull();
    }

    [Fact]
    public void Settings_Defaults_AndRetentionShorterThanStandardIaMinimum_IsRefused()
    {
        var defaults = StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:analytics", null))).Analytics;
        var act = () => StackSettingsReader.Read(Repo.ConfigWith("dev", ("llm-cost:analytics", """{"retentionDays":45}""")));

        defaults.Should().Be(new AnalyticsSettings(Enabled: true, InfrequentAccessAfterDays: 30, RetentionDays: 400, MaxScanGbPerQuery: 1, BufferSeconds: 300, ResultRetentionDays: 7, QuickSightPrincipalArn: null));
        act.Should().Throw<ConfigError>().WithMessage(
            "stacks/Pulumi.dev.yaml: llm-cost:analytics.retentionDays: must be at least infrequentAccessAfterDays + 30 (60): Standard-IA bills 30 days at least; got 45");
    }

    [Fact]
    public void S3BucketName_LongestStackAndRegion_FitsAndIsUniquePerAccountAndRegion()
    {
        var name = AwsNames.S3BucketNameFor("llm-cost-" + new string('a', 24), new Synthesis.ReferenceValue("accountId"), "ap-southeast-2");
        var longer = AwsNames.S3BucketNameFor("llm-cost-" + new string('a', 60), new Synthesis.ReferenceValue("accountId"), "ap-southeast-2");

        var text = System.Text.Json.JsonSerializer.Deserialize<string>(Synthesis.ProgramWriter.WriteValue(name))!;
        text.Should().Be("llm-cost-aaaaaaaaaaaaaaaaaaaaaaaa-${accountId}-ap-southeast-2");
        AwsNames.S3BucketName.Accepts(text.Replace("${accountId}", "123456789012", StringComparison.Ordinal)).Should().BeTrue();
        var shortened = System.Text.Json.JsonSerializer.Deserialize<string>(Synthesis.ProgramWriter.WriteValue(longer))!.Replace("${accountId}", "123456789012", StringComparison.Ordinal);
        shortened.Length.Should().Be(63);
        AwsNames.S3BucketName.Accepts(shortened).Should().BeTrue();
        AwsNames.S3BucketName.Accepts("Upper-case").Should().BeFalse();
        AwsNames.S3BucketName.Accepts("ends-with-").Should().BeFalse();
        AwsNames.S3BucketName.Accepts("xn--reserved").Should().BeFalse();
    }
}
