using System.Text;
using System.Xml;
using System.Xml.Linq;
using LlmCost.Aws;

namespace LlmCost.Infra.Analytics;

/// <summary>
/// STS <c>GetCallerIdentity</c> (Query API, <c>Action=GetCallerIdentity&amp;Version=2011-06-15</c>, signed for service
/// <c>sts</c> in the stack's region): the account the credentials belong to, which the usage bucket's name holds.
/// It needs no permission; it fails only for credentials STS does not accept.
/// </summary>
internal static class CallerIdentity
{
    private const string Body = "Action=GetCallerIdentity&Version=2011-06-15";

    public static async Task<string> AccountIdAsync(HttpClient http, AwsCredentials credentials, string region, Uri endpoint, TimeProvider time, CancellationToken cancel)
    {
        var bytes = Encoding.UTF8.GetBytes(Body);
        var uri = new Uri(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        using var request = SignedRequests.Create(HttpMethod.Post, uri, [new("content-type", "application/x-www-form-urlencoded; charset=utf-8")], bytes,
            credentials, region, AwsEndpoints.Sts.SigningName, time.GetUtcNow());

        string text;
        int status;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            using var response = await http.SendAsync(request, timeout.Token);
            (status, text) = ((int)response.StatusCode, await response.Content.ReadAsStringAsync(timeout.Token));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancel.IsCancellationRequested)
        {
            throw new UsageFetchException($"sts:GetCallerIdentity at {uri.Host} (to name the stack's bucket; --bucket skips it): {e.Message}", e);
        }

        XElement? root = null;
        try
        {
            root = XDocument.Parse(text).Root;
        }
        catch (XmlException)
        {
            // Reported below with the status.
        }

        string? Find(string name) => root?.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        if (status != 200)
        {
            throw new UsageFetchException($"sts:GetCallerIdentity: {Find("Code") ?? "error"}{(Find("Message") is { } m ? $": {m.Split('\n')[0]}" : "")} (HTTP {status}); check the AWS credentials, or name the bucket with --bucket");
        }

        var account = Find("Account");
        return account is { Length: 12 } && account.All(char.IsAsciiDigit)
            ? account
            : throw new UsageFetchException($"sts:GetCallerIdentity: the answer from {uri.Host} carries no 12-digit Account");
    }
}
