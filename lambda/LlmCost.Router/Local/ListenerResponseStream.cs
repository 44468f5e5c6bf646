using System.Net;
using LlmCost.Router.Handling;

namespace LlmCost.Router.Local;

/// <summary>
/// serve's streamed answer: the status and headers, then chunked transfer encoding, each write flushed as it comes.
/// HttpListener does not report a closed connection on its own, so a client that went away shows at the next write,
/// which fails; <see cref="Gone"/> then stops the backend call.
/// </summary>
internal sealed class ListenerResponseStream(HttpListenerResponse response) : IResponseStream
{
    private readonly CancellationTokenSource _gone = new();

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
        return Task.CompletedTask;
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await response.OutputStream.WriteAsync(bytes, cancellationToken);
            await response.OutputStream.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            await _gone.CancelAsync();
            throw new ClientGoneException("the client closed the connection", e);
        }
    }
}
