using System.Text;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;
using LlmCost.Router.Usage;

namespace LlmCost.Router.Tests;

/// <summary>The writer writes exactly the usage-record schema, and what it writes is what the request-history reader sizes plans from.</summary>
public sealed class UsageRecordSchemaTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llm-cost-usage-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Every field set, so every optional field is written.</summary>
    internal static UsageRecord FullyPopulated(DateTimeOffset at, long input = 700, long output = 250)
    {
        var record = new UsageRecord
        {
            Timestamp = at, Stack = "dev", RequestId = "req-1", LambdaRequestId = "lam-1", TraceId = "Root=1-abc", App = "search", User = "u1",
            HttpMethod = "POST", Path = "/v1/chat/completions", RequestedModel = "auto", Route = "small", Model = "amazon.nova-micro-v1:0",
            Backend = "bedrock", Reason = "score 0.1", ComplexityScore = 0.1, FallbackFrom = "fleet-small", Attempts = 2, Status = 200,
            Outcome = LlmCost.CostModel.Vocabulary.RequestOutcome.Ok, ErrorCode = "none", ErrorParam = "messages", ErrorMessage = "m", CountedInputTokens = 690, CalibrationRatio = 1.01,
            EstimatedInputTokens = 697, MaxOutputTokens = 1024, EstimatedCostUsd = 0.000181m, InputTokens = input, OutputTokens = output,
            CacheReadTokens = 5, CacheWriteTokens = 6, CostUsd = 0.0000595m, FinishReason = "stop", Stream = "sse", TimeToFirstTokenMs = 120, ClientGone = false, StreamEnd = LlmCost.CostModel.Vocabulary.StreamEnd.Completed, UsageEstimated = false, LatencyMs = 412,
            BackendLatencyMs = 390, PriceSource = "snapshot", PriceAsOf = "2026-11-28", BudgetCheck = "reserved", BudgetUsd = 100m,
            BudgetReservedUsd = 0.000181m, BudgetSettle = "settled", BudgetStoreError = "none", Prompt = "hi", Completion = "hello",
        };
        record.AddBackendFailure("fleet-small", "throttled");
        record.LimitHits.Add("max_tokens_capped:4096->1024");
        return record;
    }

    [Fact]
    public void Writer_FullyPopulatedRecord_WritesExactlyTheSchemasFieldsInOrderWithTheirJsonTypes()
    {
        using var json = JsonDocument.Parse(UsageRecordWriter.ToJson(FullyPopulated(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero))));
        var written = json.RootElement.EnumerateObject().ToList();

        written[0].Name.Should().Be("_aws");
        written.Skip(1).Select(p => p.Name).Should().Equal(UsageRecordSchema.Fields.Select(f => f.Name));
        foreach (var (property, field) in written.Skip(1).Zip(UsageRecordSchema.Fields))
        {
            var expected = field.Type switch
            {
                UsageFieldType.String => JsonValueKind.String,
                UsageFieldType.StringList => JsonValueKind.Array,
                UsageFieldType.Boolean => property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? property.Value.ValueKind : JsonValueKind.True,
                _ => JsonValueKind.Number,
            };
            property.Value.ValueKind.Should().Be(expected, $"{field.Name} is {field.DocType}");
            if (field.Type == UsageFieldType.Integer)
            {
                property.Value.TryGetInt64(out _).Should().BeTrue($"{field.Name} is a whole number");
            }
        }

        json.RootElement.GetProperty("recordType").GetString().Should().Be("llm-cost.usage");
        json.RootElement.GetProperty("schemaVersion").GetInt32().Should().Be(1);
    }

    [Theory]
    [InlineData(LlmCost.CostModel.Vocabulary.StreamEnd.Completed, null, "\"streamEnd\":\"completed\"")]
    [InlineData(LlmCost.CostModel.Vocabulary.StreamEnd.ClientGone, null, "\"streamEnd\":\"client_gone\"")]
    [InlineData(LlmCost.CostModel.Vocabulary.StreamEnd.OutputCap, null, "\"streamEnd\":\"output_cap\"")]
    [InlineData(null, "stream_interrupted", "\"streamEnd\":\"stream_interrupted\"")]
    public void Writer_StreamEnd_IsTheVocabularysSpelling_OrTheReasonOfTheFailureThatCutTheStream(
        LlmCost.CostModel.Vocabulary.StreamEnd? end, string? failureReason, string written)
    {
        var record = new UsageRecord { Timestamp = new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero), StreamEnd = end, StreamFailureReason = failureReason };

        Encoding.UTF8.GetString(UsageRecordWriter.ToJson(record)).Should().Contain(written);
    }

    [Fact]
    public void Writer_EmptyRecord_LeavesOutExactlyTheNullableFields()
    {
        using var json = JsonDocument.Parse(UsageRecordWriter.ToJson(new UsageRecord { Timestamp = new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero) }));

        json.RootElement.EnumerateObject().Skip(1).Select(p => p.Name).Should()
            .Equal(UsageRecordSchema.Fields.Where(f => !f.Nullable).Select(f => f.Name));
    }

    [Fact]
    public async Task HistoryReader_RecordsFromTheRealWriter_SizeThePlan()
    {
        // 60 records written by the router's writer, one a minute from 10:00 to 10:59 UTC, each 700 in and 250 out.
        // n requests stand for n gaps: covered 10:00-11:00, one request a minute, 60 x 730 = 43,800 a month.
        var start = new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
        var path = Path.Combine(_dir, "records.jsonl");
        using (var file = new StreamWriter(path, append: false, new UTF8Encoding(false)))
        {
            var writer = new UsageRecordWriter(file);
            for (var i = 0; i < 60; i++)
            {
                writer.Write(FullyPopulated(start.AddMinutes(i)));
            }
        }

        var profile = UsageHistory.Load(path, "records.jsonl");

        profile.RequestsPerMonth.Should().BeApproximately(43_800m, 0.01m);
        (profile.InputTokensPerRequest, profile.OutputTokensPerRequest).Should().Be((700m, 250m));

        var root = AotBootstrapSmokeTests.RepositoryRoot();
        var settings = StackSettingsReader.Read(StackFileReader.Read(root, "dev"));
        var plan = await StackPlanning.PlanAsync(settings, root, PlanningOptions.Offline with { UsageFile = path }, _ => null, TimeProvider.System);

        plan.Forecast.RequestsPerMonthP50.Should().Be(43_800m);
        plan.Demand.InputTokensPerRequest.Should().Be(700m);
        plan.Demand.OutputTokensPerRequest.Should().Be(250m);
    }
}
