using LlmCost.CostModel.Vocabulary;
using System.Globalization;
using System.Text;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Sizing;

namespace LlmCost.Infra.Cli;

/// <summary>The prices a stack uses, each with its origin: what <c>llm-cost prices</c> prints.</summary>
internal static class PriceRenderer
{
    public static string Render(StackSettings settings, CostPlan costs)
    {
        var book = costs.Prices;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"prices for stack {settings.Stack} in {settings.Region}: source {book.Source.Name()}");
        if (book.Fallback is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"FALLBACK: {book.Fallback}");
        }

        text.AppendLine();
        text.AppendLine("Bedrock (USD per 1M tokens: input / output / cache read / cache write)");
        foreach (var (model, priced) in book.Bedrock.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var p = priced.Prices;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {model,-46} {p.InputPer1M,9:0.######} {p.OutputPer1M,9:0.######} {Optional(p.CacheReadPer1M),9} {Optional(p.CacheWritePer1M),9}  [{priced.Origin}]");
        }

        if (book.Instances.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Instances (USD per hour, on demand)");
            foreach (var (key, priced) in book.Instances)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {key,-46} {priced.Hourly,9:0.#####}  [{priced.Origin}]");
            }
        }

        if (book.SavingsPlans.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Savings Plan rates (USD per hour)");
            foreach (var rate in book.SavingsPlans.OrderBy(r => r.PlanType, StringComparer.Ordinal).ThenBy(r => r.TermYears).ThenBy(r => r.PaymentOption, StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {rate.PlanType,-12} {rate.TermYears}yr {rate.PaymentOption,-16} {rate.InstanceType,-18} {rate.Hourly,9:0.######}  [{rate.Origin}]");
            }
        }

        text.AppendLine();
        text.AppendLine("Supporting services");
        foreach (var (key, priced) in book.Services.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {key,-46} {priced.PerUnit,12:0.##########}  [{priced.Origin}]");
        }

        return text.ToString();
    }

    private static string Optional(decimal? price) => price is { } p ? p.ToString("0.######", CultureInfo.InvariantCulture) : "-";
}
