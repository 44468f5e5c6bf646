using System.Globalization;
using LlmCost.CostModel;
using LlmCost.Router.Chat;
using LlmCost.Router.Usage;

namespace LlmCost.Router.Budgets;

/// <summary>
/// What one request holds against its app's budget: reserved before the call (and topped up when a fallback could
/// cost more), settled to the real cost after it, or released when no answer came. <see cref="None"/> for apps
/// without a budget, and when the store is down and the configuration allows serving unchecked.
/// </summary>
internal sealed class BudgetReservation
{
    public static readonly BudgetReservation None = new(null, null, null);

    private readonly BudgetLedger? _ledger;
    private readonly BudgetPeriod? _period;
    private readonly UsageRecord? _record;

    internal BudgetReservation(BudgetLedger? ledger, BudgetPeriod? period, UsageRecord? record) => (_ledger, _period, _record) = (ledger, period, record);

    public decimal AmountUsd { get; private set; }

    private bool Active => _ledger is not null && _period is not null && _record is not null;

    /// <summary>Reserves up to <paramref name="worstCaseUsd"/> in all; throws <see cref="BudgetExceededException"/> when the budget cannot take it.</summary>
    public async Task TopUpAsync(decimal worstCaseUsd, CancellationToken cancellationToken)
    {
        if (!Active || worstCaseUsd <= AmountUsd)
        {
            return;
        }

        var extra = worstCaseUsd - AmountUsd;
        bool reserved;
        try
        {
            reserved = await _ledger!.TryReserveAsync(_period!, extra, cancellationToken);
        }
        catch (BudgetStoreException e)
        {
            _record!.BudgetStoreError = e.Code;
            if (_ledger!.WhenUnavailable == BudgetStoreConfiguration.Allow)
            {
                _record.BudgetCheck = "unchecked_store_unavailable";
                return;
            }

            _record.BudgetCheck = "refused_store_unavailable";
            throw new RequestErrorException(new RequestError(503, "the budget store cannot be reached and this stack refuses requests it cannot check; retry later", null, "budget_store_unavailable"));
        }

        if (reserved)
        {
            AmountUsd += extra;
            _record!.BudgetReservedUsd = AmountUsd;
            return;
        }

        _record!.BudgetCheck = "refused";
        var figures = await _ledger!.ReadAsync(_period!, cancellationToken);
        var state = figures is { } f ? $"{Usd(f.Spent)} USD spent and {Usd(f.Reserved)} USD reserved by requests in flight" : "spent and reserved figures unavailable";
        var message = string.Create(CultureInfo.InvariantCulture,
            $"app {_period!.App}: this request could cost up to {Usd(worstCaseUsd)} USD; its monthly budget of {Usd(_period.BudgetUsd)} USD has {state}; the budget resets at {_period.ResetsAt:yyyy-MM-dd'T'HH:mm:ss'Z'}");
        throw new BudgetExceededException(new RequestError(429, message, null, "budget_exceeded"), _period.ResetsAt);
    }

    public async Task SettleAsync(decimal costUsd)
    {
        if (!Active || AmountUsd == 0)
        {
            return;
        }

        await FinishAsync(costUsd, "settled", answered: true);
    }

    public async Task ReleaseAsync()
    {
        if (!Active || AmountUsd == 0)
        {
            return;
        }

        await FinishAsync(0m, "released", answered: false);
    }

    private async Task FinishAsync(decimal costUsd, string outcome, bool answered)
    {
        try
        {
            await _ledger!.SettleAsync(_period!, AmountUsd, costUsd, answered);
            _record!.BudgetSettle = outcome;
        }
        catch (Exception e) when (e is BudgetStoreException or OperationCanceledException)
        {
            // The reservation stays counted: the budget errs towards refusing, never towards overspending.
            _record!.BudgetSettle = "failed";
            _record.BudgetStoreError = e is BudgetStoreException store ? store.Code : "timeout";
        }

        AmountUsd = 0;
    }

    private static string Usd(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);
}
