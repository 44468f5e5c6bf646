namespace LlmCost.Router.Handling;

/// <summary>What the runtime knows about an invocation: Lambda's request ID, the deadline, the X-Ray trace header.</summary>
internal sealed record InvocationInfo(string LambdaRequestId, DateTimeOffset Deadline, string? TraceId);
