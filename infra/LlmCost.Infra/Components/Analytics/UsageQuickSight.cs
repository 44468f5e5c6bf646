using LlmCost.CostModel;
using LlmCost.Infra.Analytics;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.Analytics;

/// <summary>
/// QuickSight over the same Athena workgroup, for a stack that names a QuickSight principal: an Athena data source,
/// a direct-query dataset over the usage table and one per named query (the same SQL), each shared with that
/// principal. QuickSight reaches Athena, Glue and the bucket through its account-wide service role, which the
/// README's one-time steps grant.
/// </summary>
internal sealed class UsageQuickSight : Component
{
    /// <summary>What the principal may do with the data source: use and manage it, as the console's owner does.</summary>
    public static readonly string[] DataSourceActions =
    [
        "quicksight:DeleteDataSource", "quicksight:DescribeDataSource", "quicksight:DescribeDataSourcePermissions",
        "quicksight:PassDataSource", "quicksight:UpdateDataSource", "quicksight:UpdateDataSourcePermissions",
    ];

    /// <summary>What the principal may do with each dataset: use and manage it, as the console's owner does.</summary>
    public static readonly string[] DataSetActions =
    [
        "quicksight:CancelIngestion", "quicksight:CreateIngestion", "quicksight:DeleteDataSet", "quicksight:DescribeDataSet",
        "quicksight:DescribeDataSetPermissions", "quicksight:DescribeIngestion", "quicksight:ListIngestions",
        "quicksight:PassDataSet", "quicksight:UpdateDataSet", "quicksight:UpdateDataSetPermissions",
    ];

    public UsageQuickSight(Component parent, UsageQuickSightArgs args) : base(parent, "quicksight")
    {
        var prefix = Context.NamePrefix;
        var source = Add("data-source", "aws:quicksight/dataSource:DataSource", Map(
            ("dataSourceId", $"{prefix}-usage"),
            ("name", $"{prefix} usage (Athena)"),
            ("type", "ATHENA"),
            ("parameters", Map(("athena", Map(("workGroup", args.WorkgroupName))))),
            ("permissions", List(Map(("principal", args.PrincipalArn), ("actions", Strings(DataSourceActions)))))));
        var sourceArn = Ref(source.Name, "arn");

        // QuickSight has no array type: the list fields stay out of the table dataset (the queries count them).
        Add("dataset-usage-records", "aws:quicksight/dataSet:DataSet", Map(
            ("dataSetId", $"{prefix}-usage-records"),
            ("name", $"{prefix} usage records"),
            ("importMode", "DIRECT_QUERY"),
            ("physicalTableMaps", List(Map(
                ("physicalTableMapId", "usage-records"),
                ("relationalTable", Map(
                    ("dataSourceArn", sourceArn),
                    ("schema", args.DatabaseLiteral),
                    ("name", UsageQueries.Table),
                    ("inputColumns", List(UsageRecordSchema.Fields.Where(f => f.Type != UsageFieldType.StringList)
                        .Select(f => (Value)Map(("name", f.Name.ToLowerInvariant()), ("type", QuickSightType(f.Type))))))))))),
            ("permissions", List(Map(("principal", args.PrincipalArn), ("actions", Strings(DataSetActions)))))));

        foreach (var query in args.Queries)
        {
            var id = query.Name.Replace('_', '-');
            Add($"dataset-{id}", "aws:quicksight/dataSet:DataSet", Map(
                ("dataSetId", $"{prefix}-{id}"),
                ("name", $"{prefix} {query.Name}"),
                ("importMode", "DIRECT_QUERY"),
                ("physicalTableMaps", List(Map(
                    ("physicalTableMapId", id),
                    ("customSql", Map(("dataSourceArn", sourceArn), ("name", query.Name), ("sqlQuery", query.Sql)))))),
                ("permissions", List(Map(("principal", args.PrincipalArn), ("actions", Strings(DataSetActions)))))));
        }
    }

    private static string QuickSightType(UsageFieldType type) => type switch
    {
        UsageFieldType.String => "STRING",
        UsageFieldType.Integer => "INTEGER",
        UsageFieldType.Number => "DECIMAL",
        UsageFieldType.Boolean => "BOOLEAN",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}

/// <param name="DatabaseLiteral">The Glue database's name (QuickSight's relational table names it as its schema).</param>
internal sealed record UsageQuickSightArgs(string PrincipalArn, Value WorkgroupName, string DatabaseLiteral, IReadOnlyList<UsageQuery> Queries);
