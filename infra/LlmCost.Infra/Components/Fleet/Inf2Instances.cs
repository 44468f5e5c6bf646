namespace LlmCost.Infra.Components.Fleet;

/// <summary>
/// Inferentia2 instance sizes as ECS sees them (Amazon EC2 Inf2 instance types page, as of 2026-11; ml.inf2.* are the
/// same hardware): chips, each a <c>/dev/neuronN</c> device the serving container must be given, and memory.
/// xlarge and 8xlarge have one chip, 24xlarge six, 48xlarge twelve; 16, 128, 384 and 768 GiB.
/// </summary>
internal static class Inf2Instances
{
    /// <summary>The share of an instance's memory the serving container reserves: the rest is the OS's and the ECS agent's.</summary>
    public const decimal ContainerMemoryShare = 0.75m;

    public static int Chips(string instanceType) => NeuronCores.Of(instanceType) / 2;

    public static int MemoryGiB(string instanceType) => instanceType.Split('.')[^1] switch
    {
        "xlarge" => 16,
        "8xlarge" => 128,
        "24xlarge" => 384,
        "48xlarge" => 768,
        var size => throw new ArgumentException($"not an Inferentia2 size: {size}", nameof(instanceType)),
    };

    /// <summary>The serving container's memory reservation in MiB (inf2.xlarge: 16 GiB x 0.75 = 12,288 MiB).</summary>
    public static int ContainerMemoryMiB(string instanceType) => (int)(MemoryGiB(instanceType) * 1024 * ContainerMemoryShare);

    /// <summary>The Neuron devices of one instance: <c>/dev/neuron0</c> to <c>/dev/neuron{chips-1}</c>.</summary>
    public static IEnumerable<string> Devices(string instanceType) => Enumerable.Range(0, Chips(instanceType)).Select(i => $"/dev/neuron{i}");
}
