using System.Globalization;
using LlmCost.Infra.Settings;

namespace LlmCost.Infra.Components.Fleet;

/// <summary>
/// The serving container's settings (optimum-neuron TGI), the same on SageMaker and ECS: the model, the NeuronCores
/// to shard it over, and the compiled shapes, which must hold the fleet routes' largest request. The Hugging Face
/// token is each platform's to add (a secret config value on SageMaker, an SSM SecureString on ECS).
/// </summary>
internal static class NeuronServingEnvironment
{
    public static List<(string Name, string Value)> For(FleetSettings fleet, FleetServingSettings serving, IReadOnlyList<RouteSettings> fleetRoutes, string modelDirectory)
    {
        var maxInput = fleetRoutes.Max(r => r.MaxInputTokens);
        var maxTotal = fleetRoutes.Max(r => r.MaxInputTokens + r.MaxOutputTokens);
        return
        [
            ("HF_MODEL_ID", serving.HuggingFaceModelId ?? modelDirectory),
            ("HF_NUM_CORES", NeuronCores.Of(fleet.InstanceType).ToString(CultureInfo.InvariantCulture)),
            ("HF_AUTO_CAST_TYPE", "bf16"),
            ("MAX_BATCH_SIZE", serving.BatchSize.ToString(CultureInfo.InvariantCulture)),
            ("MAX_INPUT_TOKENS", maxInput.ToString(CultureInfo.InvariantCulture)),
            ("MAX_TOTAL_TOKENS", maxTotal.ToString(CultureInfo.InvariantCulture)),
            // The router sends OpenAI chat completions (to /invocations on SageMaker, /v1/chat/completions on ECS).
            ("MESSAGES_API_ENABLED", "true"),
        ];
    }
}
