using LlmCost.CostModel.Vocabulary;
namespace LlmCost.Infra.Stack;

/// <summary>
/// Where the router's Lambda bundle lives, and whether it has been built. Synthesis for plans and tests works
/// without it; a Pulumi run stops with the build command (see <see cref="RequireBuilt"/>).
/// </summary>
internal sealed record BundleLocator(string ProjectDirectory)
{
    public const string BuildCommand = "lambda/build.sh";

    /// <summary>
    /// Relative to the project directory, as <c>fn::fileArchive</c> resolves it: the zip the build writes, with
    /// <c>bootstrap</c> at mode 0755 (Pulumi copies a .zip archive as it is; a folder would be re-zipped without modes).
    /// </summary>
    public static string RouterPath(LambdaArchitecture architecture) => $"lambda/dist/router-{architecture.Name()}.zip";

    public bool IsBuilt(LambdaArchitecture architecture) =>
        File.Exists(Path.Combine(ProjectDirectory, RouterPath(architecture)));

    public void RequireBuilt(LambdaArchitecture architecture)
    {
        if (!IsBuilt(architecture))
        {
            throw new BundleMissingException(
                $"The router Lambda bundle {RouterPath(architecture)} does not exist. Build it first: {BuildCommand} {architecture.Name()}");
        }
    }
}

internal sealed class BundleMissingException(string message) : Exception(message);
