using LlmCost.CostModel;

namespace LlmCost.Infra.Tests.Contracts;

/// <summary>The usage record's schema is the one description of the record: the README's table and the EMF contract follow it.</summary>
public sealed class UsageRecordSchemaTests
{
    /// <summary>lambda/README.md's table, one row per field, as the schema says it.</summary>
    private static string Table() =>
        "| field | type | meaning |\n| --- | --- | --- |\n" +
        string.Concat(UsageRecordSchema.Fields.Select(f => $"| `{f.Name}` | {f.DocType} | {f.Meaning} |\n"));

    [Fact]
    public void LambdaReadme_UsageRecordTable_IsTheSchema()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "lambda", "README.md")).ReplaceLineEndings("\n");

        readme.Should().Contain(Table(), "lambda/README.md's usage-record table must be the schema's fields (UsageRecordSchema); paste this table:\n" + Table());
    }

    [Fact]
    public void Schema_FieldNamesAreUniqueAndRecordTypeComesFirst()
    {
        UsageRecordSchema.Fields.Select(f => f.Name).Should().OnlyHaveUniqueItems();
        UsageRecordSchema.Fields[0].Name.Should().Be("recordType");
        UsageRecordSchema.RecordTypeValue.Should().Be("llm-cost.usage");
        UsageRecordSchema.Version.Should().Be(1);
    }

    [Fact]
    public void Metrics_AreNonNullNumericFields_AndDimensionsAreNonNullStringFields()
    {
        foreach (var metric in UsageMetrics.All)
        {
            var field = UsageRecordSchema.Find(metric.Name);
            field.Should().NotBeNull($"metric {metric.Name} is read from the record's own field");
            field!.Type.Should().BeOneOf(UsageFieldType.Integer, UsageFieldType.Number);
            field.Nullable.Should().BeFalse($"EMF needs metric {metric.Name} on every record");
        }

        foreach (var dimension in UsageMetrics.DimensionSets.SelectMany(s => s).Distinct())
        {
            var field = UsageRecordSchema.Find(dimension);
            field.Should().NotBeNull();
            (field!.Type, field.Nullable).Should().Be((UsageFieldType.String, false));
        }
    }

    [Theory]
    [InlineData("timestamp", "string")]
    [InlineData("inputTokens", "bigint")]
    [InlineData("costUsd", "double")]
    [InlineData("backendFailures", "array<string>")]
    [InlineData("complexityScore", "double")]
    public void GlueType_FollowsTheJsonType(string field, string glueType) =>
        UsageRecordSchema.Find(field)!.GlueType.Should().Be(glueType);
}
