namespace LlmCost.Infra.Stack;

/// <summary>
/// Where the router's Lambda bundle lives, and whether it has been built. Synthesis for plans and tests works
/// without it; a Pulumi run stops with the build command (see <see cref="RequireBuilt"/>).
/// </summary>
public sealed record BundleLocator(string ProjectDirectory)
{
    public const string BuildCommand = "lambda/build.sh";

    /// <summary>Relative to the project directory, as <c>fn::fileArchive</c> resolves it.</summary>
    public static string RouterPath(string architecture) => $"lambda/dist/router-{architecture}";

    public bool IsBuilt(string architecture) =>
        File.Exists(Path.Combine(ProjectDirectory, RouterPath(architecture), "bootstrap"));

    public void RequireBuilt(string architecture)
    {
        if (!IsBuilt(architecture))
        {
            throw new BundleMissingException(
                $"The router Lambda bundle {RouterPath(architecture)}/bootstrap does not exist. Build it first: {BuildCommand} {architecture}");
        }
    }
}

public sealed class BundleMissingException(string message) : Exception(message);
