namespace LlmCost.CostModel.Vocabulary;

/// <summary>
/// How a router inside a VPC (the fleet on ECS) reaches Bedrock: through a <c>bedrock-runtime</c> interface VPC
/// endpoint the stack creates, or over a route the VPC already has (a NAT gateway, or an endpoint made elsewhere).
/// </summary>
public enum BedrockEndpointMode
{
    Create,
    Existing,
}

public static class BedrockEndpointModes
{
    public static readonly Vocabulary<BedrockEndpointMode> Vocabulary = new((BedrockEndpointMode.Create, "create"), (BedrockEndpointMode.Existing, "existing"));

    public static string Name(this BedrockEndpointMode value) => Vocabulary.Name(value);
}
