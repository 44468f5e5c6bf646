using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using LlmCost.Aws;
using LlmCost.Infra.Naming;
using LlmCost.Infra.Pricing;
using LlmCost.Infra.Pricing.Live;
using LlmCost.Infra.Settings;
using LlmCost.Infra.Stack;
using LlmCost.Infra.Components.Analytics;

namespace LlmCost.Infra.Analytics;

/// <param name="Bucket">The bucket to read (<c>--bucket</c>); null: the stack's own, named from the caller's account (STS).</param>
/// <param name="PageSize">Keys per ListObjectsV2 page (S3's <c>max-keys</c>); null: S3's default of 1,000.</param>
internal sealed record UsageFetchRequest(StackSettings Settings, string Since, string OutDirectory, string? Bucket, int? PageSize = null);

/// <param name="ErrorObjects">Objects under <c>errors/</c> in the window (records Firehose could not convert or deliver), or null when they could not be listed.</param>
internal sealed record UsageFetchResult(
    string Bucket, FetchWindow Window, string OutDirectory, int Fetched, long FetchedBytes, int Present, long PresentBytes,
    (int Count, long Bytes)? ErrorObjects, string? ErrorListing);

/// <summary>
/// <c>usage fetch</c>: copies a stack's usage records from its bucket for the days <c>--since</c> covers. The delivery
/// stream writes each record once, as Parquet under <c>records/dt=YYYY-MM-DD/</c> (the UTC day it arrived); those
/// objects are what is fetched, into <c>OUT/dt=YYYY-MM-DD/NAME.parquet</c>, which <c>usage report --records</c> reads.
/// Objects under <c>errors/</c> are Firehose's failed batches (raw, base64 inside its own JSON envelope, not usage
/// records): they are counted and named, not fetched. A file already present with the object's size is not fetched
/// again; every other file is written atomically (see <see cref="S3Objects.DownloadAsync"/>), so an interrupted or
/// failed fetch leaves only whole files, and one that fails before its first object writes nothing.
/// </summary>
internal static class UsageFetch
{
    /// <summary>Downloads in flight at once: enough to hide S3's latency, few enough for one machine's connection.</summary>
    public const int Parallel = 4;

    public static async Task<UsageFetchResult> RunAsync(UsageFetchRequest request, HttpClient http, Func<CancellationToken, Task<AwsCredentials>> credentialSource,
        Func<string, string?> environment, TimeProvider time, CancellationToken cancel)
    {
        var settings = request.Settings;
        var window = FetchWindow.Parse(request.Since, time.GetUtcNow());
        if (request.Bucket is { } named && AwsNames.S3BucketName.Problem(named) is { } problem)
        {
            throw new UsageFetchException($"--bucket: {problem}");
        }

        if (request.Bucket is null && !settings.Analytics.Enabled)
        {
            throw new UsageFetchException($"{settings.Source}: {AnalyticsSettings.Key}.enabled is false, so stack {settings.Stack} keeps no usage records in S3 (name a bucket with --bucket to read one anyway)");
        }

        Uri? s3Override;
        Uri stsEndpoint;
        try
        {
            s3Override = AwsEndpoints.Override(AwsEndpoints.S3, environment);
            stsEndpoint = AwsEndpoints.Resolve(AwsEndpoints.Sts, settings.Region, environment);
        }
        catch (ArgumentException e)
        {
            throw new UsageFetchException(e.Message, e);
        }

        // Resolved once, first: without credentials nothing is asked and nothing is written.
        AwsCredentials credentials;
        try
        {
            credentials = await credentialSource(cancel);
        }
        catch (PricingException e)
        {
            throw new UsageFetchException($"reading the usage bucket needs AWS credentials: {e.Message}", e);
        }

        Task<AwsCredentials> Credentials(CancellationToken _) => Task.FromResult(credentials);
        var bucket = request.Bucket ?? AwsNames.S3BucketNameFor(StackContext.NamePrefixOf(settings.Stack),
            await CallerIdentity.AccountIdAsync(http, credentials, settings.Region, stsEndpoint, time, cancel), settings.Region);
        var s3 = new S3Objects(http, Credentials, settings.Region, s3Override ?? AwsEndpoints.S3.DefaultEndpoint(settings.Region), s3Override is not null, time, RetryPolicy.Default);

        // Keys sort by day: start listing just before the first day's prefix and stop past the last.
        var wanted = new List<(S3Object Object, DateOnly Day)>();
        await foreach (var item in s3.ListAsync(bucket, UsageStore.RecordsPrefix, $"{RecordsDayPrefix}{FetchWindow.Day(window.FirstDay)}", request.PageSize, cancel))
        {
            if (DayOf(item.Key, RecordsDayPrefix) is not { } day)
            {
                continue;
            }

            if (day > window.LastDay)
            {
                break;
            }

            if (window.Contains(day) && !item.Key.EndsWith('/'))
            {
                wanted.Add((item, day));
            }
        }

        var fetched = new ConcurrentBag<long>();
        var present = new ConcurrentBag<long>();
        await System.Threading.Tasks.Parallel.ForEachAsync(wanted, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancel }, async (entry, ct) =>
        {
            var target = LocalPath(request.OutDirectory, entry.Object.Key, entry.Day);
            if (File.Exists(target) && new FileInfo(target).Length == entry.Object.Size)
            {
                present.Add(entry.Object.Size);
                return;
            }

            try
            {
                fetched.Add(await s3.DownloadAsync(bucket, entry.Object, target, ct));
            }
            catch (UnauthorizedAccessException e)
            {
                throw new UsageFetchException($"--out {request.OutDirectory}: {e.Message}", e);
            }
        });

        (int, long)? errors = null;
        string? errorListing = null;
        try
        {
            var count = 0;
            var bytes = 0L;
            await foreach (var item in s3.ListAsync(bucket, UsageStore.ErrorsPrefix, null, request.PageSize, cancel))
            {
                if (ErrorDayOf(item.Key) is { } day && window.Contains(day))
                {
                    (count, bytes) = (count + 1, bytes + item.Size);
                }
            }

            errors = (count, bytes);
        }
        catch (UsageFetchException e)
        {
            errorListing = e.Message;
        }

        return new UsageFetchResult(bucket, window, request.OutDirectory, fetched.Count, fetched.Sum(), present.Count, present.Sum(), errors, errorListing);
    }

    private const string RecordsDayPrefix = UsageStore.RecordsPrefix + UsageCatalog.PartitionColumn + "=";

    /// <summary>Where an object goes: <c>OUT/dt=DAY/NAME</c>, with <c>.parquet</c> added when Firehose's name lacks it.</summary>
    internal static string LocalPath(string outDirectory, string key, DateOnly day)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        if (name.StartsWith('.'))
        {
            // Never a hidden file, nor one named like the download's own temporary files.
            name = "_" + name;
        }

        return Path.Combine(outDirectory, $"{UsageCatalog.PartitionColumn}={FetchWindow.Day(day)}",
            name.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? name : name + ".parquet");
    }

    /// <summary>The day of a key laid out as <c>PREFIXyyyy-MM-dd/...</c>, or null.</summary>
    internal static DateOnly? DayOf(string key, string prefix) =>
        key.StartsWith(prefix, StringComparison.Ordinal) && key.Length > prefix.Length + 10 && key[prefix.Length + 10] == '/'
        && DateOnly.TryParseExact(key.AsSpan(prefix.Length, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;

    /// <summary>Error objects are <c>errors/TYPE/dt=yyyy-MM-dd/...</c>.</summary>
    private static DateOnly? ErrorDayOf(string key)
    {
        var at = key.IndexOf($"/{UsageCatalog.PartitionColumn}=", StringComparison.Ordinal);
        return at < 0 ? null : DayOf(key[(at + 1)..], $"{UsageCatalog.PartitionColumn}=");
    }

    public static string Render(UsageFetchResult result)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"usage records: s3://{result.Bucket}/{UsageStore.RecordsPrefix} for {result.Window} (UTC days of delivery; --since {result.Window.Since:yyyy-MM-dd HH:mm} UTC) into {result.OutDirectory}");
        text.AppendLine(CultureInfo.InvariantCulture, $"fetched {result.Fetched} object(s), {result.FetchedBytes:N0} bytes; already present {result.Present} object(s), {result.PresentBytes:N0} bytes (same size, not fetched again)");
        if (result.ErrorObjects is { Count: > 0 } errors)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"NOTE: {errors.Count} object(s) ({errors.Bytes:N0} bytes) under s3://{result.Bucket}/{UsageStore.ErrorsPrefix} for these days: batches Firehose could not convert or deliver, not in the records and not fetched");
        }
        else if (result.ErrorListing is { } failure)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"NOTE: could not look under {UsageStore.ErrorsPrefix} for failed deliveries: {failure}");
        }

        if (result.Fetched + result.Present > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"report: ./llm-cost usage report --records {Path.Combine(result.OutDirectory, UsageCatalog.PartitionColumn + "=*", "*.parquet")}");
        }

        return text.ToString();
    }
}
