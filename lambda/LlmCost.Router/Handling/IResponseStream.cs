namespace LlmCost.Router.Handling;

/// <summary>
/// Where a streamed answer goes as it is produced: the Lambda Runtime API's streaming response, or serve's chunked
/// HTTP response. <see cref="StartAsync"/> sends the status and headers once; a write that fails means the client (or
/// the Runtime API in front of it) went away, and throws <see cref="ClientGoneException"/>.
/// </summary>
internal interface IResponseStream
{
    bool Started { get; }

    /// <summary>Fires when the reader is known to be gone, so a backend call waiting for its next token stops too.</summary>
    CancellationToken Gone { get; }

    Task StartAsync(int status, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken);

    Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);
}

/// <summary>The reader of a streamed answer is gone: stop the backend call, record it.</summary>
internal sealed class ClientGoneException(string message, Exception? inner = null) : Exception(message, inner);
