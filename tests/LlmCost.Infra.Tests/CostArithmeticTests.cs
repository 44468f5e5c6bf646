using LlmCost.CostModel;

namespace LlmCost.Infra.Tests;

public sealed class CostArithmeticTests
{
    [Fact]
    public void Usd_InputAndOutputAtTheirOwnPrices()
    {
        // Nova Lite: 1,000 x $0.06/1M + 500 x $0.24/1M = $0.00006 + $0.00012.
        RequestCost.Usd(new TokenPrices(0.06m, 0.24m), new TokenUsage(1_000, 500)).Should().Be(0.00018m);
    }

    [Fact]
    public void Usd_CacheTokensAtCachePrices()
    {
        // Claude 3.7 Sonnet: 2,000 in, 300 out, 10,000 cache read, 1,000 cache write.
        var prices = new TokenPrices(3m, 15m, 0.30m, 3.75m);

        RequestCost.Usd(prices, new TokenUsage(2_000, 300, 10_000, 1_000)).Should().Be((6_000m + 4_500m + 3_000m + 3_750m) / 1_000_000m);
    }

    [Fact]
    public void Usd_CacheTokensOnAModelWithoutCachePrices_ChargedAtInputNotFree()
    {
        RequestCost.Usd(new TokenPrices(0.22m, 0.22m), new TokenUsage(0, 0, 1_000_000, 0)).Should().Be(0.22m);
    }

    [Fact]
    public void WorstCaseUsd_IsInputPlusTheCappedOutput()
    {
        RequestCost.WorstCaseUsd(new TokenPrices(0.8m, 4m), 10_000, 2_048).Should().Be((8_000m + 8_192m) / 1_000_000m);
    }
}
