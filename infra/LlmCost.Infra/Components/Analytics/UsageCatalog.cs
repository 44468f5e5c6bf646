using LlmCost.CostModel;
using LlmCost.Infra.Analytics;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.Analytics;

/// <summary>
/// The Glue database and table Athena reads, and whose schema the delivery stream converts records to Parquet
/// with. The columns are the usage-record schema's fields (lower-cased: Glue stores names so, and Athena and the
/// JSON reader match them case-insensitively), in its order, with its types; the table is partitioned by the UTC day
/// the records arrived (<c>dt</c>), found by partition projection so no crawler or <c>MSCK REPAIR</c> is needed.
/// </summary>
internal sealed class UsageCatalog : Component
{
    public const string PartitionColumn = "dt";

    /// <summary>Partition projection's first day: no record is older than this version of the program.</summary>
    public const string ProjectionStart = "2026-01-01";

    public UsageCatalog(Component parent, UsageStoreOutputs store) : base(parent, "catalog")
    {
        var databaseName = AwsNames.GlueDatabaseName.Join("_", "llm_cost", Context.Settings.Stack.Replace('-', '_'));
        var database = Add("database", "aws:glue/catalogDatabase:CatalogDatabase", Map(
            ("name", databaseName),
            ("description", $"llm-cost {Context.Settings.Stack}: the router's usage records")));
        var location = Interpolate("s3://", store.BucketName, "/", UsageStore.RecordsPrefix);

        var table = Add("table", "aws:glue/catalogTable:CatalogTable", Map(
            ("name", AwsNames.GlueTableName.Join("_", UsageQueries.Table)),
            ("databaseName", Ref(database.Name, "name")),
            ("description", $"One row per request (usage record schema version {UsageRecordSchema.Version}), delivered by Firehose as Parquet"),
            ("tableType", "EXTERNAL_TABLE"),
            ("parameters", Map(
                ("classification", "parquet"),
                ("projection.enabled", "true"),
                ($"projection.{PartitionColumn}.type", "date"),
                ($"projection.{PartitionColumn}.format", "yyyy-MM-dd"),
                ($"projection.{PartitionColumn}.range", $"{ProjectionStart},NOW"),
                ($"projection.{PartitionColumn}.interval", "1"),
                ($"projection.{PartitionColumn}.interval.unit", "DAYS"),
                ("storage.location.template", Interpolate(location, $"{PartitionColumn}=${{{PartitionColumn}}}/")))),
            ("partitionKeys", List(Map(("name", PartitionColumn), ("type", "string"), ("comment", "UTC day the record reached Firehose (yyyy-MM-dd)")))),
            ("storageDescriptor", Map(
                ("location", location),
                ("inputFormat", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"),
                ("outputFormat", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"),
                ("serDeInfo", Map(
                    ("name", "parquet"),
                    ("serializationLibrary", "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"))),
                ("columns", List(Columns().Select(c => (Value)Map(("name", c.Name), ("type", c.Type), ("comment", c.Comment)))))))));

        Outputs = new UsageCatalogOutputs(Ref(database.Name, "name"), Ref(table.Name, "name"), databaseName,
            Context.Arn("glue", "catalog"), Context.Arn("glue", $"database/{databaseName}"), Context.Arn("glue", $"table/{databaseName}/{UsageQueries.Table}"));
    }

    public UsageCatalogOutputs Outputs { get; }

    /// <summary>The table's columns: the schema's fields, never a copy of them.</summary>
    public static IReadOnlyList<(string Name, string Type, string Comment)> Columns() =>
        UsageRecordSchema.Fields.Select(f => (f.Name.ToLowerInvariant(), f.GlueType, Comment(f.Meaning))).ToList();

    /// <summary>Glue column comments are at most 255 characters.</summary>
    private static string Comment(string meaning) => meaning.Length <= 255 ? meaning : string.Concat(meaning.AsSpan(0, 252), "...");
}

internal sealed record UsageCatalogOutputs(Value DatabaseName, Value TableName, string DatabaseLiteral, Value CatalogArn, Value DatabaseArn, Value TableArn);
