using System.Net;
using LlmCost.Router.Handling;

namespace LlmCost.Router.Local;

/// <summary>
/// serve's streamed answer: the status and headers, then chunked transfer encoding, each write flushed as it comes.
/// HttpListener does not report a closed connection on its own, and a write to one the client closed succeeds once
/// (the kernel takes it; the client answers with a reset) and fails from the next. So while the router waits (for the
/// backend's next token), a server-sent-events comment (<c>: keep-alive</c>, which SSE readers skip) goes out after
/// each <paramref name="keepAlive"/> without a write: a departed client shows within two of them, and
/// <see cref="Gone"/> then stops the backend call.
/// </summary>
internal sealed class ListenerResponseStream(HttpListenerResponse response, TimeSpan keepAlive, TimeProvider time) : IResponseStream, IAsyncDisposable
{
    /// <summary>An SSE comment line: ignored by every reader, and enough to learn whether the client is still there.</summary>
    public static readonly byte[] KeepAliveComment = ": keep-alive\n\n"u8.ToArray();

    private readonly CancellationTokenSource _gone = new();
    private readonly CancellationTokenSource _done = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private long _lastWrite;
    private Task _keepingAlive = Task.CompletedTask;

    public bool Started { get; private set; }

    public CancellationToken Gone => _gone.Token;

    public Task StartAsync(int status, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        Started = true;
        response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        response.SendChunked = true;
        _lastWrite = time.GetTimestamp();
        _keepingAlive = Task.Run(KeepAliveAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (!await TryWriteAsync(bytes, cancellationToken))
        {
            throw new ClientGoneException("the client closed the connection");
        }
    }

    /// <summary>Stops the keep-alive comments; the host closes the response after.</summary>
    public async ValueTask DisposeAsync()
    {
        await _done.CancelAsync();
        await _keepingAlive;
        _done.Dispose();
        _gone.Dispose();
        _writing.Dispose();
    }

    private async Task<bool> TryWriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (_gone.IsCancellationRequested)
        {
            return false;
        }

        await _writing.WaitAsync(cancellationToken);
        try
        {
            await response.OutputStream.WriteAsync(bytes, cancellationToken);
            await response.OutputStream.FlushAsync(cancellationToken);
            Interlocked.Exchange(ref _lastWrite, time.GetTimestamp());
            return true;
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            await _gone.CancelAsync();
            return false;
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task KeepAliveAsync()
    {
        try
        {
            while (!_gone.IsCancellationRequested)
            {
                var quiet = time.GetElapsedTime(Interlocked.Read(ref _lastWrite));
                if (quiet < keepAlive)
                {
                    await Task.Delay(keepAlive - quiet, time, _done.Token);
                    continue;
                }

                if (!await TryWriteAsync(KeepAliveComment, _done.Token))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_done.IsCancellationRequested)
        {
            // The answer is complete.
        }
    }
}
