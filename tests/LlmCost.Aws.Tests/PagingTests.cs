namespace LlmCost.Aws.Tests;

public sealed class PagingTests
{
    private sealed class ListingException(string message) : Exception(message);

    private static PagedListing Listing(int maxPages = 10, string hint = "") => new("Test ListThings", maxPages, m => new ListingException(m), hint);

    /// <summary>Answers the pages in order, recording the token each request carried.</summary>
    private sealed class Server(params Page<int>[] pages)
    {
        public List<string?> Asked { get; } = [];

        public Task<Page<int>> FetchAsync(string? token, CancellationToken cancel)
        {
            cancel.ThrowIfCancellationRequested();
            Asked.Add(token);
            return Task.FromResult(pages[Math.Min(Asked.Count - 1, pages.Length - 1)]);
        }
    }

    [Fact]
    public async Task AllAsync_ReadsEveryPageInOrder_EachAskedWithTheTokenThePageBeforeGave()
    {
        var server = new Server(new([1, 2], "a"), new([], "b"), new([3], null));

        var items = await Paging.AllAsync(Listing(), server.FetchAsync, CancellationToken.None).ToListAsync();

        items.Should().Equal(1, 2, 3);
        server.Asked.Should().Equal(null, "a", "b");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task AllAsync_NoTokenOrAnEmptyOne_IsTheLastPage(string? last)
    {
        var server = new Server(new([1], "a"), new([2], last), new([99], "never"));

        var items = await Paging.AllAsync(Listing(), server.FetchAsync, CancellationToken.None).ToListAsync();

        items.Should().Equal(1, 2);
        server.Asked.Should().Equal(null, "a");
    }

    [Fact]
    public async Task AllAsync_ServerGivingTheSameTokenAgain_IsRefusedNamingTheOperation()
    {
        var server = new Server(new Page<int>([1], "same"));

        var act = async () => await Paging.AllAsync(Listing(), server.FetchAsync, CancellationToken.None).ToListAsync();

        (await act.Should().ThrowAsync<ListingException>())
            .WithMessage("Test ListThings: page 2 gave the same next token as page 1; the server is repeating itself, refusing to page on");
        server.Asked.Should().Equal(null, "same");
    }

    [Fact]
    public async Task AllAsync_ServerCyclingThroughTokens_IsRefused()
    {
        var server = new Server(new([1], "a"), new([2], "b"), new([3], "a"));

        var act = async () => await Paging.AllAsync(Listing(), server.FetchAsync, CancellationToken.None).ToListAsync();

        (await act.Should().ThrowAsync<ListingException>()).WithMessage("Test ListThings: page 3 gave the same next token as page 1; *");
        server.Asked.Should().HaveCount(3);
    }

    [Fact]
    public async Task AllAsync_MorePagesThanTheLimit_StopsAtTheLimitWithTheCallersHint()
    {
        var asked = 0;
        Task<Page<int>> Endless(string? token, CancellationToken cancel) => Task.FromResult(new Page<int>([++asked], $"t{asked}"));

        var act = async () => await Paging.AllAsync(Listing(maxPages: 3, hint: "; narrow the filters"), Endless, CancellationToken.None).ToListAsync();

        (await act.Should().ThrowAsync<ListingException>()).WithMessage("Test ListThings: more than 3 pages; narrow the filters");
        asked.Should().Be(3, "the page past the limit is not fetched");
    }

    [Fact]
    public async Task AllAsync_ExactlyTheLimit_IsFine()
    {
        var server = new Server(new([1], "a"), new([2], "b"), new([3], null));

        var items = await Paging.AllAsync(Listing(maxPages: 3), server.FetchAsync, CancellationToken.None).ToListAsync();

        items.Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task AllAsync_Cancelled_FetchesNoFurtherPage()
    {
        var server = new Server(new([1, 2], "a"), new([3], null));
        using var cancel = new CancellationTokenSource();
        var seen = new List<int>();

        var act = async () =>
        {
            await foreach (var item in Paging.AllAsync(Listing(), server.FetchAsync, cancel.Token))
            {
                seen.Add(item);
                await cancel.CancelAsync();
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        seen.Should().Equal(1, 2);
        server.Asked.Should().Equal([null], "the second page is never asked for");
    }

    [Fact]
    public async Task AllAsync_PassesTheCancellationToEachFetch()
    {
        using var cancel = new CancellationTokenSource();
        Task<Page<int>> Fetch(string? token, CancellationToken given)
        {
            cancel.Cancel();
            given.ThrowIfCancellationRequested();
            return Task.FromResult(new Page<int>([1], null));
        }

        var act = async () => await Paging.AllAsync(Listing(), Fetch, cancel.Token).ToListAsync();

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task AllAsync_IsLazy_AndAFetchsOwnErrorPassesThrough()
    {
        var asked = 0;
        Task<Page<int>> Broken(string? token, CancellationToken cancel) => ++asked == 1 ? throw new ListingException("Test ListThings: malformed answer") : Task.FromResult(new Page<int>([], null));

        var listing = Paging.AllAsync(Listing(), Broken, CancellationToken.None);
        asked.Should().Be(0, "nothing is asked for until the listing is read");
        var act = async () => await listing.ToListAsync();

        (await act.Should().ThrowAsync<ListingException>()).WithMessage("Test ListThings: malformed answer");
    }
}
