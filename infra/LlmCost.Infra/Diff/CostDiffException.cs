namespace LlmCost.Infra.Diff;

/// <summary>Bad input to <c>cost diff</c> (a revision git does not know, an unreadable saved plan): the message names what and where.</summary>
internal sealed class CostDiffException(string message) : Exception(message);
