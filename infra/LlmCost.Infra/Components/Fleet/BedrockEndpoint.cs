using LlmCost.Infra.Naming;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Synthesis;
using static LlmCost.Infra.Synthesis.Expr;

namespace LlmCost.Infra.Components.Fleet;

/// <summary>
/// A <c>bedrock-runtime</c> interface VPC endpoint for a router inside the VPC (<c>bedrockEndpoint: create</c>):
/// private DNS, so the router's usual Bedrock hostname resolves to it; in each of the stack's subnets (billed per
/// Availability Zone-hour and per GB); behind its own security group that admits only the router on 443.
/// </summary>
internal sealed class BedrockEndpoint : Component
{
    public BedrockEndpoint(Component parent, BedrockEndpointArgs args) : base(parent, "bedrock")
    {
        var group = Add("sg", "aws:ec2/securityGroup:SecurityGroup", Map(
            ("description", AwsNames.SecurityGroupDescription.Join(" ", "llm-cost bedrock-runtime endpoint: admits only the router")),
            ("vpcId", args.Network.VpcId)));
        Add("from-router", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", Map(
            ("securityGroupId", Ref(group.Name, "id")),
            ("description", AwsNames.SecurityGroupRuleDescription.Join(" ", "from the llm-cost router over HTTPS")),
            ("ipProtocol", "tcp"),
            ("fromPort", 443),
            ("toPort", 443),
            ("referencedSecurityGroupId", Ref(args.RouterSecurityGroup.Name, "id"))));
        Endpoint = Add("endpoint", "aws:ec2/vpcEndpoint:VpcEndpoint", Map(
            ("vpcId", args.Network.VpcId),
            ("serviceName", ServiceName(Context.Region)),
            ("vpcEndpointType", "Interface"),
            ("privateDnsEnabled", true),
            ("subnetIds", Strings(args.Network.SubnetIds)),
            ("securityGroupIds", List(Ref(group.Name, "id")))));
    }

    public ReferenceValue Endpoint { get; }

    /// <summary>The endpoint service of Bedrock's runtime API in a region (aws-cn regions are named under cn.com.amazonaws).</summary>
    public static string ServiceName(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? $"cn.com.amazonaws.{region}.bedrock-runtime" : $"com.amazonaws.{region}.bedrock-runtime";
}

internal sealed record BedrockEndpointArgs(Settings.FleetNetworkSettings Network, ReferenceValue RouterSecurityGroup);
