using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using LlmCost.Router.Handling;

namespace LlmCost.Router.Runtime;

/// <summary>
/// A streamed invocation response: <c>POST /runtime/invocation/{id}/response</c> with
/// <c>Lambda-Runtime-Function-Response-Mode: streaming</c> and a chunked body, in the format API Gateway's Lambda proxy
/// integration reads in STREAM transfer mode (content type <c>application/vnd.awslambda.http-integration-response</c>):
/// a JSON prelude <c>{"statusCode":…,"headers":{…}}</c>, 8 NUL bytes, then the body as it is written (the format of
/// awslambda.HttpResponseStream in Lambda's Node.js runtime). The POST starts at <see cref="StartAsync"/>; each write is
/// flushed as its own chunk.
/// </summary>
internal sealed class LambdaResponseStream(HttpClient http, string responseUrl) : IResponseStream
{
    public const string ContentType = "application/vnd.awslambda.http-integration-response";
    public const int DelimiterBytes = 8;

    private readonly Channel<ReadOnlyMemory<byte>> _chunks = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _gone = new();
    private Task<HttpResponseMessage>? _post;

    public bool Started => _post is not null;

    public CancellationToken Gone => _gone.Token;

    /// <summary>The prelude API Gateway reads the status and headers from: JSON, with no NUL byte in it.</summary>
    public static byte[] Prelude(int status, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonOptions.Writer))
        {
            w.WriteStartObject();
            w.WriteNumber("statusCode", status);
            w.WriteStartObject("headers");
            foreach (var (name, value) in headers)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        buffer.Write(new byte[DelimiterBytes]);
        return buffer.ToArray();
    }

    public async Task StartAsync(int status, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, responseUrl) { Content = new ChannelContent(_chunks.Reader) };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Response-Mode", "streaming");
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        // Not the invocation's token: the POST must outlive a cancelled backend call to carry the error event and end.
        _post = http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, CancellationToken.None);
        // The Runtime API answers (or drops the connection) before the body's end only when the response is over for
        // it: the client went away. Tell the handler at once, not at its next write.
        _ = _post.ContinueWith(_ => _gone.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await WriteAsync(Prelude(status, headers), cancellationToken);
    }

    public Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (_post is { IsCompleted: true })
        {
            // The Runtime API ended the request early (the client went away, or the response was refused).
            throw new ClientGoneException("the Runtime API closed the streamed response", _post.Exception?.InnerException);
        }

        if (!_chunks.Writer.TryWrite(bytes.ToArray()))
        {
            throw new ClientGoneException("the streamed response is already complete");
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Ends the body (the last chunk) and waits for the Runtime API's answer. A response the Runtime API cut or refused
    /// is returned, not thrown: the invocation is over either way, and the loop goes on to the next one (a Runtime API
    /// that is really gone shows at <c>next</c>).
    /// </summary>
    public async Task<string?> CompleteAsync()
    {
        _chunks.Writer.TryComplete();
        if (_post is null)
        {
            return null;
        }

        try
        {
            using var response = await _post;
            return response.IsSuccessStatusCode ? null : $"the Runtime API answered {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return $"the Runtime API closed the streamed response ({e.GetType().Name})";
        }
    }

    /// <summary>A request body that sends each written piece as it comes and flushes it, so it leaves as its own chunk.</summary>
    private sealed class ChannelContent(ChannelReader<ReadOnlyMemory<byte>> chunks) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await foreach (var chunk in chunks.ReadAllAsync())
            {
                await stream.WriteAsync(chunk);
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
