namespace LlmCost.Infra.Components.Fleet;

/// <summary>
/// NeuronCores per Inferentia2 instance: two per Inferentia2 chip; xlarge and 8xlarge have one chip, 24xlarge
/// six, 48xlarge twelve (Amazon EC2 Inf2 instance types page, as of 2026-11; ml.inf2.* are the same hardware).
/// The serving container shards the model over this many cores.
/// </summary>
internal static class NeuronCores
{
    public static int Of(string instanceType) => instanceType.Split('.')[^1] switch
    {
        "xlarge" => 2,
        "8xlarge" => 2,
        "24xlarge" => 12,
        "48xlarge" => 24,
        var size => throw new ArgumentException($"not an Inferentia2 size: {size}", nameof(instanceType)),
    };
}
