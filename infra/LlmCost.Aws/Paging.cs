using System.Runtime.CompilerServices;

namespace LlmCost.Aws;

/// <summary>One page of a paged AWS listing: its items, and the token that asks for the next page (null or empty on the last).</summary>
public sealed record Page<TItem>(IReadOnlyList<TItem> Items, string? NextToken);

/// <summary>What a paged listing is called in its errors, how far it may go, and which exception its caller throws.</summary>
/// <param name="Operation">Begins every error message: <c>Bedrock ListInferenceProfiles</c>, <c>list s3://bucket/prefix</c>.</param>
/// <param name="MaxPages">The most pages fetched: a page this far in that still names a next page is an error, not a longer loop.</param>
/// <param name="Failure">The caller's exception for a message (<c>PricingException</c>, <c>UsageFetchException</c>).</param>
/// <param name="TooManyPagesHint">Follows "more than N pages" in that error (what to do about it), from its "; ".</param>
public sealed record PagedListing(string Operation, int MaxPages, Func<string, Exception> Failure, string TooManyPagesHint = "");

/// <summary>
/// The one loop over a paged AWS listing for every caller in this codebase (Price List GetProducts, Savings Plans
/// offering rates, Bedrock ListInferenceProfiles, S3 ListObjectsV2): each page asked for with the token the page before
/// it gave (none for the first), its items yielded in order, until a page gives no token. A server that never stops
/// cannot keep it going: a token seen before (the same page again, or a cycle) and a page past the limit that still names
/// a next one are errors naming the operation.
/// </summary>
public static class Paging
{
    /// <param name="fetch">One page: the token from the page before (null for the first) to the page's items and next token.</param>
    public static async IAsyncEnumerable<TItem> AllAsync<TItem>(
        PagedListing listing, Func<string?, CancellationToken, Task<Page<TItem>>> fetch, [EnumeratorCancellation] CancellationToken cancel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(listing.MaxPages, 1);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string? token = null;
        for (var page = 1; ; page++)
        {
            cancel.ThrowIfCancellationRequested();
            var answer = await fetch(token, cancel);
            foreach (var item in answer.Items)
            {
                yield return item;
            }

            if (string.IsNullOrEmpty(answer.NextToken))
            {
                yield break;
            }

            if (seen.TryGetValue(answer.NextToken, out var first))
            {
                throw listing.Failure($"{listing.Operation}: page {page} gave the same next token as page {first}; the server is repeating itself, refusing to page on");
            }

            if (page >= listing.MaxPages)
            {
                throw listing.Failure($"{listing.Operation}: more than {listing.MaxPages} pages{listing.TooManyPagesHint}");
            }

            seen.Add(answer.NextToken, page);
            token = answer.NextToken;
        }
    }
}
