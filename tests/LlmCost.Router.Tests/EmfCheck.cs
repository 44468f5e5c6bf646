using System.Text.Json;

namespace LlmCost.Router.Tests;

/// <summary>The CloudWatch Embedded Metric Format rules a record must meet for CloudWatch to extract its metrics.</summary>
internal static class EmfCheck
{
    public static void AssertValid(JsonElement record)
    {
        var aws = record.GetProperty("_aws");
        aws.GetProperty("Timestamp").ValueKind.Should().Be(JsonValueKind.Number);
        foreach (var directive in aws.GetProperty("CloudWatchMetrics").EnumerateArray())
        {
            directive.GetProperty("Namespace").GetString().Should().NotBeNullOrEmpty();
            foreach (var set in directive.GetProperty("Dimensions").EnumerateArray())
            {
                foreach (var key in set.EnumerateArray().Select(k => k.GetString()!))
                {
                    var value = record.GetProperty(key);
                    value.ValueKind.Should().Be(JsonValueKind.String, $"dimension {key} is a top-level string");
                    value.GetString().Should().NotBeEmpty().And.MatchRegex("^[\\x20-\\x7E]+$", $"dimension {key} is non-empty ASCII");
                }
            }

            foreach (var metric in directive.GetProperty("Metrics").EnumerateArray())
            {
                var name = metric.GetProperty("Name").GetString()!;
                record.GetProperty(name).ValueKind.Should().Be(JsonValueKind.Number, $"metric {name} is a top-level number");
            }
        }
    }
}
