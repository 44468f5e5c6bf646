namespace LlmCost.Router.Runtime;

/// <summary>Handles one invocation's payload and returns the response payload; throwing reports an invocation error.</summary>
internal delegate Task<byte[]> InvocationHandler(Invocation invocation, CancellationToken cancellationToken);

/// <summary>
/// The runtime loop, structured as aws-lambda-dotnet's LambdaBootstrap: run init, reporting a failure to
/// <c>/runtime/init/error</c> and exiting non-zero; then forever: next, set <c>_X_AMZN_TRACE_ID</c>, handle with a
/// token that fires at the invocation's deadline, post the response or the error. Any Runtime API failure ends the
/// process (Lambda starts a new one), as a 500 from it demands.
/// </summary>
internal sealed class LambdaBootstrap(RuntimeApiClient client, TimeProvider time, Action<string, string?> setEnvironment, TextWriter log)
{
    public const string TraceVariable = "_X_AMZN_TRACE_ID";

    /// <summary>Lambda's maximum function timeout.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(15);

    public async Task<int> RunAsync(Func<CancellationToken, Task<InvocationHandler>> init, CancellationToken cancellationToken)
    {
        InvocationHandler handler;
        try
        {
            handler = await init(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.WriteLine($"init failed: {e.GetType().Name}: {e.Message}");
            try
            {
                await client.SendInitErrorAsync(e, cancellationToken);
            }
            catch (Exception report) when (report is HttpRequestException or RuntimeApiException)
            {
                log.WriteLine($"could not report the init error: {report.Message}");
            }

            return 1;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var invocation = await client.NextAsync(cancellationToken);
                setEnvironment(TraceVariable, invocation.TraceId);
                await InvokeAsync(handler, invocation, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or RuntimeApiException)
            {
                log.WriteLine($"the Runtime API failed, exiting: {e.Message}");
                return 2;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        return 0;
    }

    private async Task InvokeAsync(InvocationHandler handler, Invocation invocation, CancellationToken cancellationToken)
    {
        byte[] response;
        var stream = client.CreateResponseStream(invocation.RequestId);
        invocation = invocation with { ResponseStream = stream };
        using (var untilDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // Clamped to Lambda's longest timeout: a nonsensical far-future deadline must not crash the loop.
            var remaining = invocation.Deadline - time.GetUtcNow();
            untilDeadline.CancelAfter(remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining > MaxTimeout ? MaxTimeout : remaining);
            try
            {
                response = await handler(invocation, untilDeadline.Token);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && stream.Started)
            {
                // Bytes are out: an invocation error can no longer be posted, so the stream just ends.
                log.WriteLine($"invocation {invocation.RequestId} failed mid-stream: {e.GetType().Name}: {e.Message}");
                await CompleteStreamAsync(invocation.RequestId, stream);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                log.WriteLine($"invocation {invocation.RequestId} failed: {e.GetType().Name}: {e.Message}");
                await client.SendInvocationErrorAsync(invocation.RequestId, e, cancellationToken);
                return;
            }
        }

        if (stream.Started)
        {
            await CompleteStreamAsync(invocation.RequestId, stream);
            return;
        }

        await client.SendResponseAsync(invocation.RequestId, response, cancellationToken);
    }

    private async Task CompleteStreamAsync(string requestId, LambdaResponseStream stream)
    {
        if (await stream.CompleteAsync() is { } problem)
        {
            log.WriteLine($"invocation {requestId}: streamed response not completed: {problem}");
        }
    }
}
