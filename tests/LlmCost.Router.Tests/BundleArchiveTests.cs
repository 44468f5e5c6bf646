using System.IO.Compression;

namespace LlmCost.Router.Tests;

/// <summary>
/// The zip the program deploys as the function's code: Pulumi passes a .zip file archive through unchanged, so
/// the Unix mode Lambda needs on <c>provided.al2023</c>'s <c>bootstrap</c> (executable) is the one written here.
/// </summary>
public sealed class BundleArchiveTests
{
    public static TheoryData<string> Architectures() => AotBootstrapSmokeTests.Architectures();

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Bundle_HoldsOnlyBootstrap_ExecutableForEveryone(string arch)
    {
        var path = Path.Combine(AotBootstrapSmokeTests.RepositoryRoot(), "lambda", "dist", $"router-{arch}.zip");
        File.Exists(path).Should().BeTrue($"the bundle must be built before this test: lambda/build.sh {arch} (./test.sh does it)");

        using var zip = ZipFile.OpenRead(path);
        var entry = zip.Entries.Should().ContainSingle().Subject;
        entry.FullName.Should().Be("bootstrap");
        ((entry.ExternalAttributes >> 16) & 0x1FF).Should().Be(0x1ED, "mode 0755: Lambda runs bootstrap as an executable");
        entry.Length.Should().BeGreaterThan(1_000_000, "the Native AOT executable, not a stand-in");
    }
}
