namespace LlmCost.CostModel;

/// <summary>
/// USD per million tokens for one route. Cache prices are null where the model has no such dimension; a
/// backend that reports such tokens anyway is priced at the input price, never at zero.
/// </summary>
public sealed record TokenPrices(decimal InputPer1M, decimal OutputPer1M, decimal? CacheReadPer1M = null, decimal? CacheWritePer1M = null);

/// <summary>Tokens one request used, as the backend reports them (or as estimated before the call).</summary>
public readonly record struct TokenUsage(long InputTokens, long OutputTokens, long CacheReadTokens = 0, long CacheWriteTokens = 0);

/// <summary>Request cost = input x input price + output x output price (+ cache read and write at their prices).</summary>
public static class RequestCost
{
    private const decimal PerMillion = 1_000_000m;

    public static decimal Usd(TokenPrices prices, TokenUsage usage) =>
        (usage.InputTokens * prices.InputPer1M
         + usage.OutputTokens * prices.OutputPer1M
         + usage.CacheReadTokens * (prices.CacheReadPer1M ?? prices.InputPer1M)
         + usage.CacheWriteTokens * (prices.CacheWritePer1M ?? prices.InputPer1M)) / PerMillion;

    /// <summary>The most a request can cost once its output is capped: what the router reserves before the call.</summary>
    public static decimal WorstCaseUsd(TokenPrices prices, long inputTokens, long maxOutputTokens) =>
        Usd(prices, new TokenUsage(inputTokens, maxOutputTokens));
}
