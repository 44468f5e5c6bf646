using System.Text.Json.Serialization;

namespace LlmCost.CostModel.Vocabulary;

/// <summary>How a request ended, as its usage record says (<c>outcome</c>); alarms and queries group by it.</summary>
[JsonConverter(typeof(RequestOutcomeJsonConverter))]
public enum RequestOutcome
{
    Ok,
    ClientError,
    Throttled,
    BackendError,
    Timeout,
    RouterError,
    BudgetExceeded,
    ClientGone,
}

public static class RequestOutcomes
{
    public static readonly Vocabulary<RequestOutcome> Vocabulary = new(
        (RequestOutcome.Ok, "ok"),
        (RequestOutcome.ClientError, "client_error"),
        (RequestOutcome.Throttled, "throttled"),
        (RequestOutcome.BackendError, "backend_error"),
        (RequestOutcome.Timeout, "timeout"),
        (RequestOutcome.RouterError, "router_error"),
        (RequestOutcome.BudgetExceeded, "budget_exceeded"),
        (RequestOutcome.ClientGone, "client_gone"));

    public static string Name(this RequestOutcome value) => Vocabulary.Name(value);
}

public sealed class RequestOutcomeJsonConverter() : VocabularyJsonConverter<RequestOutcome>(RequestOutcomes.Vocabulary);
