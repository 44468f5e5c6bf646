using System.Text.Json.Nodes;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Synthesis;

namespace LlmCost.Infra.Tests.Components;

/// <summary>The fleet on SageMaker: model, execution role, endpoint configuration and endpoint, on printed programs.</summary>
public sealed class SageMakerFleetTests
{
    private const string ProdImage = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.7.0-optimum3.3.6-neuronx-py310-ubuntu22.04";

    private static readonly ProgramQuery Prod = ProgramQuery.Of(Repo.Synthesize("prod").Program);

    /// <summary>prod's fleet, with its model from precompiled artifacts in S3 instead of Hugging Face.</summary>
    private const string FromS3 = """
        {"platform":"sagemaker","instanceType":"ml.inf2.24xlarge","modelName":"llama-3.1-8b-instruct","tokensPerSecondPerInstance":2000,
         "baselineInstances":1,"maxInstances":4,"modelDataUrl":"s3://example-models/llama-3.1-8b/neuron/"}
        """;

    [Fact]
    public void Prod_Endpoint_RunsOnInf2_StartingAtTheBaseline_WithTimeoutsForNeuronCompilation()
    {
        var endpoint = Prod.Resource("fleet-endpoint")!;
        endpoint["type"]!.GetValue<string>().Should().Be("aws:sagemaker/endpoint:Endpoint");
        endpoint["properties"]!["name"]!.GetValue<string>().Should().Be("llm-cost-prod-fleet");
        endpoint["properties"]!["endpointConfigName"]!.GetValue<string>().Should().Be("${fleet-endpoint-config.name}");
        endpoint["options"]!["customTimeouts"]!.ToJsonString().Should().Be("""{"create":"90m","update":"90m","delete":"30m"}""");

        // prod: ml.inf2.xlarge, baselineInstances 2; volume and timeouts at their defaults (128 GB, 3600 s each).
        Prod.Properties("fleet-endpoint-config")["productionVariants"]!.ToJsonString().Should().Be(
            """[{"variantName":"primary","modelName":"${fleet-model.name}","instanceType":"ml.inf2.xlarge","initialInstanceCount":2,"volumeSizeInGb":128,"containerStartupHealthCheckTimeoutInSeconds":3600,"modelDataDownloadTimeoutInSeconds":3600}]""");
        Prod.Count("aws:sagemaker/endpoint:Endpoint").Should().Be(1);
    }

    [Fact]
    public void Prod_Model_IsTheRegionsNeuronImage_LoadingTheHuggingFaceModelWithTheSecretToken()
    {
        var model = Prod.Properties("fleet-model");

        model["executionRoleArn"]!.GetValue<string>().Should().Be("${fleet-role.arn}");
        model["primaryContainer"]!["image"]!.GetValue<string>().Should().Be(ProdImage);
        model["primaryContainer"]!["modelDataSource"].Should().BeNull();
        // 2 NeuronCores on an inf2.xlarge; compiled shapes hold prod's small route: 8000 in, 8000 + 1024 in all.
        model["primaryContainer"]!["environment"]!.ToJsonString().Should().Be(
            """{"HF_MODEL_ID":"meta-llama/Llama-3.1-8B-Instruct","HF_NUM_CORES":"2","HF_AUTO_CAST_TYPE":"bf16","MAX_BATCH_SIZE":"4","MAX_INPUT_TOKENS":"8000","MAX_TOTAL_TOKENS":"9024","MESSAGES_API_ENABLED":"true","HF_TOKEN":"${huggingFaceToken}"}""");
        Prod.Root["config"]!.ToJsonString().Should().Be("""{"huggingFaceToken":{"type":"string","secret":true}}""");
        Prod.Resource("fleet-model")!["options"]!["dependsOn"]!.ToJsonString().Should().Be("""["${fleet-policy}"]""");
    }

    [Fact]
    public void TheHuggingFaceToken_IsNeverPrinted_EvenWhenPulumiHandsItOver()
    {
        // Pulumi passes secrets decrypted in PULUMI_CONFIG; the program must name the key, never carry the value.
        var settings = StackSettingsReader.Read(Repo.ConfigWith("prod", ("llm-cost:huggingFaceToken", "hf_DoNotPrintThis123")));
        var text = ProgramWriter.Write(Repo.Synthesize(settings).Program);

        text.Should().NotContain("hf_DoNotPrintThis123").And.Contain("\"HF_TOKEN\": \"${huggingFaceToken}\"");
    }

    [Fact]
    public void Prod_ExecutionRole_PullsExactlyItsImage_WritesExactlyItsEndpointLogs()
    {
        Prod.Properties("fleet-role")["assumeRolePolicy"]!.ToJsonString().Should().Contain("\"Service\":\"sagemaker.amazonaws.com\"");
        var statements = ProgramQuery.Document(Prod.Properties("fleet-policy")["policy"])["Statement"]!.AsArray();

        statements.Select(s => s!["Sid"]!.GetValue<string>()).Should().Equal("PullServingImage", "GetRegistryLogin", "WriteEndpointLogs");
        statements[0]!["Resource"]!.ToJsonString().Should().Be("""["arn:aws:ecr:us-east-1:763104351884:repository/huggingface-pytorch-tgi-inference"]""");
        statements[1]!["Action"]!.ToJsonString().Should().Be("""["ecr:GetAuthorizationToken"]""");
        statements[2]!["Resource"]!.ToJsonString().Should().Be(
            """["arn:aws:logs:us-east-1:${accountId}:log-group:/aws/sagemaker/Endpoints/llm-cost-prod-fleet","arn:aws:logs:us-east-1:${accountId}:log-group:/aws/sagemaker/Endpoints/llm-cost-prod-fleet:*"]""");
    }

    [Fact]
    public void PrecompiledArtifacts_AreReadFromTheirPrefixOnly_AndNeedNoToken()
    {
        var query = ProgramQuery.Of(Repo.Synthesize(StackSettingsReader.Read(Repo.ConfigWith("prod", ("llm-cost:fleet", FromS3)))).Program);
        var container = query.Properties("fleet-model")["primaryContainer"]!;

        container["modelDataSource"]!.ToJsonString().Should().Be(
            """{"s3DataSources":[{"s3Uri":"s3://example-models/llama-3.1-8b/neuron/","s3DataType":"S3Prefix","compressionType":"None"}]}""");
        container["environment"]!["HF_MODEL_ID"]!.GetValue<string>().Should().Be("/opt/ml/model");
        container["environment"]!["HF_NUM_CORES"]!.GetValue<string>().Should().Be("12", "an inf2.24xlarge has six Inferentia2 chips of two cores");
        container["environment"]!["HF_TOKEN"].Should().BeNull();
        query.Root["config"].Should().BeNull();
        var statements = ProgramQuery.Document(query.Properties("fleet-policy")["policy"])["Statement"]!.AsArray();
        statements.Single(s => s!["Sid"]!.GetValue<string>() == "ReadModelArtifacts")!.ToJsonString().Should().Be(
            """{"Sid":"ReadModelArtifacts","Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::example-models/llama-3.1-8b/neuron/*"]}""");
        statements.Single(s => s!["Sid"]!.GetValue<string>() == "ListModelArtifacts")!.ToJsonString().Should().Be(
            """{"Sid":"ListModelArtifacts","Effect":"Allow","Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::example-models"],"Condition":{"StringLike":{"s3:prefix":"llama-3.1-8b/neuron/*"}}}""");
    }

    [Fact]
    public void AStacksImage_ReplacesTheTables_AndTheRolePullsThatRepository()
    {
        var fleet = FromS3.Replace("\"modelDataUrl\"", "\"image\":\"123456789012.dkr.ecr.us-east-1.amazonaws.com/own/tgi-neuronx:1.2\",\"modelDataUrl\"", StringComparison.Ordinal);
        var query = ProgramQuery.Of(Repo.Synthesize(StackSettingsReader.Read(Repo.ConfigWith("prod", ("llm-cost:fleet", fleet)))).Program);

        query.Properties("fleet-model")["primaryContainer"]!["image"]!.GetValue<string>().Should().Be("123456789012.dkr.ecr.us-east-1.amazonaws.com/own/tgi-neuronx:1.2");
        ProgramQuery.Document(query.Properties("fleet-policy")["policy"])["Statement"]![0]!["Resource"]!.ToJsonString()
            .Should().Be("""["arn:aws:ecr:us-east-1:123456789012:repository/own/tgi-neuronx"]""");
    }

    [Fact]
    public void ARegionWithoutATableImage_StopsNamingTheRegionAndTheImageKey()
    {
        var act = () => StackSettingsReader.Read(Repo.ConfigWith("prod", ("aws:region", "us-isob-east-1")));

        act.Should().Throw<ConfigError>().Which.Message.Should()
            .StartWith("stacks/Pulumi.prod.yaml: aws:region: no Neuron serving image is known for region us-isob-east-1 (table of 2026-11-28")
            .And.EndWith("set llm-cost:fleet.image to the ECR image URI of a Neuron serving container in that region");
    }

    [Fact]
    public void TheFleetNeedsExactlyOneModelSource()
    {
        var both = FromS3.Replace("\"modelDataUrl\"", "\"huggingFaceModelId\":\"meta-llama/Llama-3.1-8B-Instruct\",\"modelDataUrl\"", StringComparison.Ordinal);
        var neither = FromS3.Replace(",\"modelDataUrl\":\"s3://example-models/llama-3.1-8b/neuron/\"", "", StringComparison.Ordinal);

        foreach (var fleet in new[] { both, neither })
        {
            var act = () => StackSettingsReader.Read(Repo.ConfigWith("prod", ("llm-cost:fleet", fleet)));
            act.Should().Throw<ConfigError>().Which.Message.Should().Be(
                "stacks/Pulumi.prod.yaml: llm-cost:fleet.huggingFaceModelId: the fleet needs exactly one model source: huggingFaceModelId (compiled when the endpoint starts) or modelDataUrl (precompiled Neuron artifacts in S3)");
        }
    }

    [Fact]
    public void Prod_OutputsTheEndpointName_AndStacksWithoutAFleetHaveNone()
    {
        Prod.Output("fleetEndpointName")!.GetValue<string>().Should().Be("llm-cost-prod-fleet");
        foreach (var stack in new[] { "dev", "staging" })
        {
            var query = ProgramQuery.Of(Repo.Synthesize(stack).Program);
            query.Resources.Select(r => r.Value!["type"]!.GetValue<string>()).Should().NotContain(t => t.StartsWith("aws:sagemaker/", StringComparison.Ordinal) || t.StartsWith("aws:appautoscaling/", StringComparison.Ordinal));
            query.Output("fleetEndpointName").Should().BeNull();
        }
    }

    [Fact]
    public void NeuronImages_AreTheSdksRegistriesAndTag()
    {
        // From the SageMaker Python SDK's huggingface-llm-neuronx.json, version 0.3.0.
        LlmCost.Infra.Components.Fleet.NeuronServingImages.For("eu-west-1").Should().Be(
            "763104351884.dkr.ecr.eu-west-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.7.0-optimum3.3.6-neuronx-py310-ubuntu22.04");
        LlmCost.Infra.Components.Fleet.NeuronServingImages.For("cn-north-1").Should().Be(
            "727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/huggingface-pytorch-tgi-inference:2.7.0-optimum3.3.6-neuronx-py310-ubuntu22.04");
        LlmCost.Infra.Components.Fleet.NeuronServingImages.For("us-isob-east-1").Should().BeNull();
    }
}
