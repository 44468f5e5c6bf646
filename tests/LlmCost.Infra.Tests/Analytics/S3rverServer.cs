using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LlmCost.Aws;

namespace LlmCost.Infra.Tests.Analytics;

/// <summary>
/// A real S3-compatible server: s3rver (npm, pinned in s3rver/package-lock.json; objects in a temporary folder) run
/// with node on a free 127.0.0.1 port. <c>./test.sh</c> installs it (<c>npm ci</c>); without it the test fails and
/// says how to install it. s3rver checks that a SigV4 request is well formed and names a known access key
/// (<see cref="AccessKey"/>), but not the signature itself (the signer is checked against S3's documented examples in
/// LlmCost.Aws.Tests). Its continuation tokens are DES-encrypted, which Node 17+ only offers with the legacy OpenSSL
/// provider, hence <c>--openssl-legacy-provider</c>.
/// </summary>
internal sealed class S3rverServer : IAsyncDisposable
{
    /// <summary>s3rver's built-in account: access key and secret are both "S3RVER".</summary>
    public const string AccessKey = "S3RVER";

    public static readonly AwsCredentials Credentials = new(AccessKey, AccessKey);

    private readonly Process _process;
    private readonly string _directory;

    private S3rverServer(Process process, string directory, Uri endpoint) => (_process, _directory, Endpoint) = (process, directory, endpoint);

    public Uri Endpoint { get; }

    public static string PackageDirectory { get; } = Path.Combine(Repo.Root, "tests", "LlmCost.Infra.Tests", "s3rver");

    public static async Task<S3rverServer> StartAsync()
    {
        var cli = Path.Combine(PackageDirectory, "node_modules", "s3rver", "bin", "s3rver.js");
        File.Exists(cli).Should().BeTrue($"s3rver must be installed first: (cd {PackageDirectory} && npm ci) (./test.sh does it)");
        var directory = Directory.CreateTempSubdirectory("llm-cost-s3rver-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("node", ["--openssl-legacy-provider", cli, "--directory", directory, "--address", "127.0.0.1",
            "--port", port.ToString(CultureInfo.InvariantCulture), "--silent", "--no-vhost-buckets"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        var server = new S3rverServer(process, directory, new Uri($"http://127.0.0.1:{port}"));
        string? line;
        do
        {
            line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        while (line is not null && !line.StartsWith("S3rver listening", StringComparison.Ordinal));

        line.Should().NotBeNull($"s3rver should start; stderr: {(process.HasExited ? await process.StandardError.ReadToEndAsync() : "")}");
        return server;
    }

    public Task CreateBucketAsync(string bucket) => SendAsync(HttpMethod.Put, $"/{bucket}", []);

    public Task PutAsync(string bucket, string key, byte[] body) =>
        SendAsync(HttpMethod.Put, $"/{bucket}/{string.Join('/', key.Split('/').Select(SigV4Signer.UriEncode))}", body);

    private async Task SendAsync(HttpMethod method, string path, byte[] body)
    {
        using var http = new HttpClient();
        var uri = new Uri(Endpoint, path);
        var signed = SigV4Signer.Sign(new SigningRequest(method.Method, uri, [], body), Credentials, "us-east-1", "s3", TimeProvider.System.GetUtcNow());
        using var request = new HttpRequestMessage(method, uri) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in signed.HeadersToAdd.Where(h => h.Key != "host"))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static int FreePort()
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
        Directory.Delete(_directory, recursive: true);
    }
}
