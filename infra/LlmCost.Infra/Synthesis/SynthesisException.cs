namespace LlmCost.Infra.Synthesis;

/// <summary>The program could not be built as asked; the message names the component and the offending value.</summary>
internal sealed class SynthesisException(string message) : Exception(message);
