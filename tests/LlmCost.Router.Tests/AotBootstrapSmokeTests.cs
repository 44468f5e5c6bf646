using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using LlmCost.CostModel;
using LlmCost.Router.Tests.Servers;

namespace LlmCost.Router.Tests;

/// <summary>
/// The Native AOT bundle as Lambda runs it: <c>lambda/dist/router-&lt;arch&gt;/bootstrap</c> started against a local
/// Runtime API server, serving one invocation that a local Bedrock wire-format server answers. <c>./test.sh</c> builds
/// the bundles first and names them in <see cref="ArchitecturesVariable"/> (default: this machine's architecture); a
/// bundle of the other architecture runs under qemu user-mode emulation. A missing bundle fails and says how to build it.
/// </summary>
public sealed class AotBootstrapSmokeTests
{
    public const string ArchitecturesVariable = "LLM_COST_ROUTER_SMOKE_ARCHS";

    private static string NativeArch => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x86_64";

    public static TheoryData<string> Architectures()
    {
        var listed = Environment.GetEnvironmentVariable(ArchitecturesVariable);
        return new TheoryData<string>(string.IsNullOrWhiteSpace(listed) ? [NativeArch] : listed.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Infra.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Infra.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>How to start the bundle: directly, or under qemu-user for the other architecture.</summary>
    public static ProcessStartInfo StartInfo(string arch)
    {
        var path = Path.Combine(RepositoryRoot(), "lambda", "dist", $"router-{arch}", "bootstrap");
        File.Exists(path).Should().BeTrue($"the AOT bundle must be built before this test: lambda/build.sh {arch} (./test.sh does it)");
        ProcessStartInfo start;
        if (arch == NativeArch)
        {
            start = new ProcessStartInfo(path);
        }
        else
        {
            var (qemu, sysroot) = arch == "arm64" ? ("qemu-aarch64-static", "/usr/aarch64-linux-gnu") : ("qemu-x86_64-static", "/usr/x86_64-linux-gnu");
            Directory.Exists(sysroot).Should().BeTrue($"running the {arch} bundle here needs qemu-user-static and the {arch} C library in {sysroot}");
            start = new ProcessStartInfo(qemu);
            start.ArgumentList.Add(path);
            start.Environment["QEMU_LD_PREFIX"] = sysroot;
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return start;
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public async Task Bootstrap_OneInvocation_OpenAiResponseCostHeadersAndOneHandComputedRecord(string arch)
    {
        await using var runtime = await RuntimeApiServer.StartAsync();
        await using var bedrock = await ScriptedBackend.StartAsync();
        bedrock.Default = Replies.ConverseOk("Hello.", input: 1000, output: 500, cacheRead: 2000, cacheWrite: 100);
        var body = """{"model":"medium","messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"Say hi"}]}"""u8.ToArray();
        runtime.Enqueue(new QueuedInvocation("aot-1", Local.LocalHost.ProxyEvent("POST", "/v1/chat/completions", [], body, "gw-aot-1", TestConfig.SupportClient), TimeProvider.System.GetUtcNow().AddSeconds(29)))
            .ThenClose();

        var start = StartInfo(arch);
        foreach (var name in new[] { "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME", "AWS_PROFILE" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtime.HostAndPort;
        start.Environment[RouterConfiguration.EnvironmentVariable] = JsonSerializer.Serialize(TestConfig.Prod(), CostModelJsonContext.Default.RouterConfiguration);
        start.Environment["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = bedrock.BaseUri.ToString();
        start.Environment["AWS_ACCESS_KEY_ID"] = RouterHarness.AccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = RouterHarness.SecretKey;
        start.Environment["AWS_SESSION_TOKEN"] = RouterHarness.SessionToken;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);

        process.ExitCode.Should().Be(2, "the Runtime API's 500 after the last invocation ends the process; stderr: " + await stderr);
        var response = JsonDocument.Parse(runtime.Responses["aot-1"].Body).RootElement;
        response.GetProperty("statusCode").GetInt32().Should().Be(200);
        var headers = response.GetProperty("headers");
        headers.GetProperty("x-llm-cost-usd").GetString().Should().Be("0.00021");
        headers.GetProperty("x-llm-cost-estimated-usd").GetString().Should().Be("0.00049236");
        headers.GetProperty("x-llm-cost-route").GetString().Should().Be("medium");
        var completion = JsonDocument.Parse(response.GetProperty("body").GetString()!).RootElement;
        completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be("Hello.");
        completion.GetProperty("usage").GetProperty("total_tokens").GetInt32().Should().Be(3600);

        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var record = JsonDocument.Parse(lines.Should().ContainSingle("exactly one usage record").Subject).RootElement;
        // nova-lite: 1000 x 0.06 + 500 x 0.24 + 2000 x 0.015 + 100 x 0 = 210 per 1M; worst case 14 x 0.06 + 2048 x 0.24 = 492.36 per 1M.
        record.GetProperty("costUsd").GetDecimal().Should().Be(0.00021m);
        record.GetProperty("estimatedCostUsd").GetDecimal().Should().Be(0.00049236m);
        record.GetProperty("countedInputTokens").GetInt32().Should().Be(14);
        record.GetProperty("requestId").GetString().Should().Be("gw-aot-1");
        record.GetProperty("lambdaRequestId").GetString().Should().Be("aot-1");
        record.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Namespace").GetString().Should().Be("LlmCost");
        SignatureCheck.Verify(bedrock.Received.Single(), RouterHarness.SecretKey).Valid.Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public async Task Bootstrap_NoConfiguration_InitErrorReportedAndExit1(string arch)
    {
        await using var runtime = await RuntimeApiServer.StartAsync();
        var start = StartInfo(arch);
        start.Environment.Remove(RouterConfiguration.EnvironmentVariable);
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtime.HostAndPort;

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);

        process.ExitCode.Should().Be(1);
        var error = JsonDocument.Parse(runtime.InitErrors.Should().ContainSingle().Subject.Body).RootElement;
        error.GetProperty("errorType").GetString().Should().Be("RouterConfigurationException");
        error.GetProperty("errorMessage").GetString().Should().StartWith("LLM_COST_ROUTER_CONFIG is not set");
        runtime.NextCalls.Should().Be(0);
    }
}
