namespace LlmCost.Router.Handling;

/// <summary>
/// What the runtime knows about an invocation: Lambda's request ID, the deadline, the X-Ray trace header, and where a
/// streamed answer can go (none: answers are buffered).
/// </summary>
internal sealed record InvocationInfo(string LambdaRequestId, DateTimeOffset Deadline, string? TraceId, IResponseStream? Stream = null);
