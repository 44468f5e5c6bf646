using System.Text;
using LlmCost.Router.Handling;

namespace LlmCost.Router.Tests.Servers;

/// <summary>A response stream kept in memory; optionally the client goes away at a given write.</summary>
internal sealed class MemoryResponseStream(int? goneAtWrite = null) : IResponseStream
{
    private readonly List<byte[]> _writes = [];

    public bool Started { get; private set; }

    public CancellationToken Gone => CancellationToken.None;

    public int Status { get; private set; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; private set; } = [];

    public string Text
    {
        get
        {
            lock (_writes)
            {
                return string.Concat(_writes.Select(w => Encoding.UTF8.GetString(w)));
            }
        }
    }

    /// <summary>The SSE events written, each without its <c>data: </c> prefix.</summary>
    public IReadOnlyList<string> Events => Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.StartsWith("data: ", StringComparison.Ordinal) ? e[6..] : "!" + e).ToList();

    public Task StartAsync(int status, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        Started = true;
        Status = status;
        Headers = headers;
        return Task.CompletedTask;
    }

    public Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        lock (_writes)
        {
            if (goneAtWrite is { } gone && _writes.Count + 1 >= gone)
            {
                throw new ClientGoneException("test: the client went away");
            }

            _writes.Add(bytes.ToArray());
        }

        return Task.CompletedTask;
    }
}
