using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace LlmCost.Infra.Tests;

/// <summary>
/// The GitHub workflows parse, have the jobs and steps the pull-request previews rely on, pin every action by
/// version, and call only commands that exist in the repository. (actionlint runs over them too, from test.sh.)
/// </summary>
public sealed class WorkflowTests
{
    private static readonly string Workflows = Path.Combine(Repo.Root, ".github", "workflows");

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Workflows, file));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    private static string Scalar(YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value! : "";

    private static List<YamlMappingNode> Steps(YamlMappingNode job) =>
        ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>().ToList();

    [Fact]
    public void Preview_RunsTheTestsOnceAndPreviewsEachStack()
    {
        var workflow = Load("preview.yml");
        var jobs = Map(workflow, "jobs");

        Steps(Map(jobs, "test")).Select(s => Scalar(s, "run")).Should().Contain("./test.sh");
        var preview = Map(jobs, "preview");
        var stacks = (YamlSequenceNode)Map(Map(preview, "strategy"), "matrix").Children[new YamlScalarNode("stack")];
        stacks.Children.Select(s => ((YamlScalarNode)s).Value).Should().Equal(Repo.Stacks);
        Map(preview, "permissions").Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!)
            .Should().Equal(new Dictionary<string, string> { ["contents"] = "read", ["id-token"] = "write", ["pull-requests"] = "write" });

        var steps = Steps(preview);
        Scalar(Map(steps.Single(s => Scalar(s, "uses").StartsWith("actions/checkout@", StringComparison.Ordinal)), "with"), "fetch-depth").Should().Be("0");
        var runs = string.Join("\n", steps.Select(s => Scalar(s, "run")));
        runs.Should().Contain("lambda/install-build-deps.sh").And.Contain("lambda/build.sh arm64");
        runs.Should().Contain("./llm-cost cost diff --stack \"$STACK\" --base \"origin/${{ github.base_ref }}\" --format markdown");
        // pulumi/actions installs the CLI; the preview is the developer's command, with the policy pack when there is one.
        steps.Should().ContainSingle(s => Scalar(s, "uses").StartsWith("pulumi/actions@", StringComparison.Ordinal));
        var previewRun = Scalar(steps.Single(s => Scalar(s, "id") == "preview"), "run");
        previewRun.Should().Contain("pulumi preview \"${args[@]}\"").And.Contain("args+=(--policy-pack policies)")
            .And.Contain("args+=(--policy-pack-config \"policies/$STACK.json\")");
        Scalar(Map(steps.Single(s => Scalar(s, "uses").StartsWith("aws-actions/configure-aws-credentials@", StringComparison.Ordinal)), "with"), "role-to-assume")
            .Should().Be("${{ vars.AWS_PREVIEW_ROLE_ARN }}");
        Scalar(Map(steps.Single(s => Scalar(s, "uses").StartsWith("actions/github-script@", StringComparison.Ordinal)), "with"), "script")
            .Should().Contain("require('./.github/scripts/preview-comment.js')");
    }

    [Fact]
    public void Deploy_GoesDevThenStagingThenProd()
    {
        var jobs = Map(Load("deploy.yml"), "jobs");

        Scalar(Map(jobs, "staging"), "needs").Should().Be("dev");
        Scalar(Map(jobs, "prod"), "needs").Should().Be("staging");
        Scalar(Map(Map(Load("deploy-stack.yml"), "jobs"), "up"), "environment").Should().Be("${{ inputs.stack }}");
    }

    [Fact]
    public void Workflows_PinEveryActionByVersion()
    {
        var uses = Directory.GetFiles(Workflows, "*.yml")
            .SelectMany(f => File.ReadAllLines(f)).Select(l => Regex.Match(l, @"^\s*(-\s+)?uses:\s*(?<action>\S+)")).Where(m => m.Success)
            .Select(m => m.Groups["action"].Value).ToList();

        uses.Should().NotBeEmpty();
        uses.Where(u => !u.StartsWith("./", StringComparison.Ordinal))
            .Should().OnlyContain(u => Regex.IsMatch(u, @"^[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+$"), "an action is pinned to an exact version, not a moving major tag or a branch");
    }

    [Fact]
    public void Workflows_CallOnlyFilesThatExist()
    {
        var text = string.Join("\n", Directory.GetFiles(Workflows, "*.yml").Select(File.ReadAllText));
        var called = Regex.Matches(text, @"(?<![\w/.])(\./)?(?<path>(llm-cost|test\.sh|lambda/[\w-]+\.sh|\.github/[\w/-]+\.(js|yml)))\b").Select(m => m.Groups["path"].Value).Distinct().ToList();

        called.Should().Contain(["llm-cost", "test.sh", "lambda/build.sh", "lambda/install-build-deps.sh", ".github/scripts/preview-comment.js", ".github/workflows/deploy-stack.yml"]);
        called.Should().OnlyContain(p => File.Exists(Path.Combine(Repo.Root, p)));
    }
}
