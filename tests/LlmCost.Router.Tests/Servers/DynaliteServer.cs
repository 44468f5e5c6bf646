using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LlmCost.Aws;

namespace LlmCost.Router.Tests.Servers;

/// <summary>
/// A real DynamoDB-compatible server: dynalite (npm, pinned in dynalite/package-lock.json, in memory) run with node on
/// a free 127.0.0.1 port, with the budget table created through the DynamoDB API. <c>./test.sh</c> installs it
/// (<c>npm ci</c>); without it the test fails and says how to install it.
/// </summary>
internal sealed class DynaliteServer : IAsyncDisposable
{
    private readonly Process _process;

    private DynaliteServer(Process process, Uri endpoint) => (_process, Endpoint) = (process, endpoint);

    public Uri Endpoint { get; }

    public static async Task<DynaliteServer> StartAsync(string tableName)
    {
        var directory = Path.Combine(AotBootstrapSmokeTests.RepositoryRoot(), "tests", "LlmCost.Router.Tests", "dynalite");
        var cli = Path.Combine(directory, "node_modules", "dynalite", "cli.js");
        File.Exists(cli).Should().BeTrue($"dynalite must be installed first: (cd {directory} && npm ci) (./test.sh does it)");
        var port = FreePort();
        var start = new ProcessStartInfo("node", [cli, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--createTableMs", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        ready.Should().StartWith("Dynalite listening", "dynalite should start");
        var server = new DynaliteServer(process, new Uri($"http://127.0.0.1:{port}/"));
        using var created = await server.CallAsync("CreateTable", $$"""
            {"TableName":"{{tableName}}","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
             "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}
            """);
        return server;
    }

    /// <summary>One signed DynamoDB call; the answer's JSON (throws unless 200).</summary>
    public async Task<JsonDocument> CallAsync(string operation, string json)
    {
        using var http = new HttpClient();
        var body = Encoding.UTF8.GetBytes(json);
        var target = $"DynamoDB_20120810.{operation}";
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        var signed = SigV4Signer.Sign(new SigningRequest("POST", Endpoint, [new("content-type", "application/x-amz-json-1.0"), new("x-amz-target", target)], body),
            new AwsCredentials(RouterHarness.AccessKey, RouterHarness.SecretKey, null), "us-east-1", "dynamodb", TimeProvider.System.GetUtcNow());
        foreach (var (name, value) in signed.HeadersToAdd.Where(h => h.Key != "host"))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text);
    }

    /// <summary>The month item's attributes as numbers (absent ones as 0).</summary>
    public async Task<IReadOnlyDictionary<string, decimal>> ItemAsync(string tableName, string key)
    {
        using var reply = await CallAsync("GetItem", $$"""{"TableName":"{{tableName}}","Key":{"pk":{"S":"{{key}}"} },"ConsistentRead":true}""");
        var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (reply.RootElement.TryGetProperty("Item", out var item))
        {
            foreach (var attribute in item.EnumerateObject().Where(a => a.Value.TryGetProperty("N", out _)))
            {
                result[attribute.Name] = decimal.Parse(attribute.Value.GetProperty("N").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return result;
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
