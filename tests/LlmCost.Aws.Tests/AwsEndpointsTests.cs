namespace LlmCost.Aws.Tests;

public sealed class AwsEndpointsTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Resolve_ServiceVariableWinsOverGeneral()
    {
        AwsEndpoints.Resolve(AwsEndpoints.Pricing, "us-east-1", Env(("AWS_ENDPOINT_URL_PRICING", "http://127.0.0.1:9001"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:9000")))
            .Should().Be(new Uri("http://127.0.0.1:9001"));
        AwsEndpoints.BedrockRuntime.EnvironmentVariable.Should().Be("AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
        AwsEndpoints.SageMakerRuntime.EnvironmentVariable.Should().Be("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME");
        AwsEndpoints.SavingsPlans.EnvironmentVariable.Should().Be("AWS_ENDPOINT_URL_SAVINGSPLANS");
        AwsEndpoints.S3.EnvironmentVariable.Should().Be("AWS_ENDPOINT_URL_S3");
        AwsEndpoints.Sts.EnvironmentVariable.Should().Be("AWS_ENDPOINT_URL_STS");
    }

    [Fact]
    public void Override_IsNullWithoutOne_SoS3KnowsWhenToAddressPathStyle()
    {
        AwsEndpoints.Override(AwsEndpoints.S3, Env()).Should().BeNull();
        AwsEndpoints.Resolve(AwsEndpoints.S3, "eu-west-1", Env()).Should().Be(new Uri("https://s3.eu-west-1.amazonaws.com"));
        AwsEndpoints.Override(AwsEndpoints.S3, Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:4568"))).Should().Be(new Uri("http://127.0.0.1:4568"));
        AwsEndpoints.Override(AwsEndpoints.S3, Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:4568"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"))).Should().BeNull();
    }

    [Fact]
    public void Resolve_GeneralVariable_ThenDefault_AndIgnoreSwitch()
    {
        AwsEndpoints.Resolve(AwsEndpoints.SavingsPlans, "eu-west-1", Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:9000")))
            .Should().Be(new Uri("http://127.0.0.1:9000"));
        AwsEndpoints.Resolve(AwsEndpoints.BedrockRuntime, "eu-west-1", Env())
            .Should().Be(new Uri("https://bedrock-runtime.eu-west-1.amazonaws.com"));
        AwsEndpoints.Resolve(AwsEndpoints.Pricing, "us-east-1", Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:9000"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")))
            .Should().Be(new Uri("https://api.pricing.us-east-1.amazonaws.com"));
    }

    [Fact]
    public void Resolve_MalformedOverride_NamesTheVariable()
    {
        var act = () => AwsEndpoints.Resolve(AwsEndpoints.Pricing, "us-east-1", Env(("AWS_ENDPOINT_URL_PRICING", "localhost:9000")));

        act.Should().Throw<ArgumentException>().WithMessage("AWS_ENDPOINT_URL_PRICING must be an absolute http(s) URL, got \"localhost:9000\".");
    }
}
