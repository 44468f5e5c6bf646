using System.Text.Json.Nodes;
using LlmCost.Infra.Diff;

namespace LlmCost.Infra.Tests.Diff;

public sealed class ResourceDiffTests
{
    private static JsonObject Program(string resources, string config = "{}") =>
        (JsonObject)JsonNode.Parse($$"""{"name":"llm-cost","config":{{config}},"resources":{{resources}}}""")!;

    [Fact]
    public void Compare_SecretValues_AreMaskedWhereverTheyAre()
    {
        var before = Program("""
            {"db":{"type":"aws:rds/instance:Instance","properties":{"password":{"fn::secret":"old-password"},"size":1,"token":"abc","url":"https://${apiKey}@example.com"},"options":{"additionalSecretOutputs":["token"]}}}
            """, """{"apiKey":{"type":"string","secret":true}}""");
        var after = Program("""
            {"db":{"type":"aws:rds/instance:Instance","properties":{"password":{"fn::secret":"new-password"},"size":2,"token":"def","url":"https://${apiKey}@example.org"},"options":{"additionalSecretOutputs":["token"]}}}
            """, """{"apiKey":{"type":"string","secret":true}}""");

        var changes = ResourceDiff.Compare(before, after);

        changes.Should().ContainSingle().Which.Properties.Should().Equal(
            new PropertyChange("password", "[secret]", "[secret]"),
            new PropertyChange("size", "1", "2"),
            new PropertyChange("token", "[secret]", "[secret]"),
            new PropertyChange("url", "[secret]", "[secret]"));
        string.Join("\n", changes[0].Properties.Select(p => p.Before + p.After)).Should().NotContainAny("old-password", "new-password", "abc", "def", "example");
    }

    [Fact]
    public void Compare_AddedRemovedAndTypeChanged_AreListedByName()
    {
        var before = Program("""{"a":{"type":"aws:s3/bucket:Bucket"},"b":{"type":"aws:sqs/queue:Queue"}}""");
        var after = Program("""{"a":{"type":"aws:s3/bucketV2:BucketV2"},"c":{"type":"aws:sns/topic:Topic","properties":{"name":"t"}}}""");

        var changes = ResourceDiff.Compare(before, after);

        changes.Should().BeEquivalentTo(new[]
        {
            new ResourceChange("added", "aws:sns/topic:Topic", "c", []),
            new ResourceChange("changed", "aws:s3/bucketV2:BucketV2", "a", [new PropertyChange("type", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")]),
            new ResourceChange("removed", "aws:sqs/queue:Queue", "b", []),
        }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Compare_NoBase_ListsEveryResourceAsAdded()
    {
        var after = Program("""{"a":{"type":"aws:s3/bucket:Bucket"},"b":{"type":"aws:sqs/queue:Queue"}}""");

        ResourceDiff.Compare(null, after).Select(c => (c.Kind, c.Name)).Should().Equal(("added", "a"), ("added", "b"));
    }
}
