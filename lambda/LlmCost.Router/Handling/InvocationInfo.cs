namespace LlmCost.Router.Handling;

/// <summary>
/// What the runtime knows about an invocation: Lambda's request ID, the deadline, the X-Ray trace header, and where a
/// streamed answer can go (none: answers are buffered).
/// </summary>
/// <param name="WholeAnswerBy">
/// When an answer nothing of which has been sent yet must be ready, if earlier than <paramref name="Deadline"/>: behind a
/// gateway that streams, the stream's idle timeout runs while the router holds an answer it sends whole.
/// </param>
internal sealed record InvocationInfo(string LambdaRequestId, DateTimeOffset Deadline, string? TraceId, IResponseStream? Stream = null, DateTimeOffset? WholeAnswerBy = null)
{
    /// <summary>
    /// How long an answer sent whole may take behind the streaming gateway: its idle timeout
    /// (<see cref="CostModel.ApiSurface.StreamIdleTimeoutSeconds"/>, 5 minutes) less 5 s for a cold start's init and the
    /// answer's way back.
    /// </summary>
    public static readonly TimeSpan StreamIdleAllowance = TimeSpan.FromSeconds(CostModel.ApiSurface.StreamIdleTimeoutSeconds - 5);

    /// <summary>The deadline for an answer sent whole: the earlier of <see cref="Deadline"/> and <see cref="WholeAnswerBy"/>.</summary>
    public DateTimeOffset WholeAnswerDeadline => WholeAnswerBy is { } by && by < Deadline ? by : Deadline;
}
