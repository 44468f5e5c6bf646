namespace LlmCost.Infra.Cli;

/// <summary>Finds the project (the folder holding Pulumi.yaml) from where the user stands.</summary>
internal static class ProjectDirectory
{
    public static string Find(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Pulumi.yaml in {Path.GetFullPath(start)} or above it; run from the llm-cost checkout or pass --project-dir.");
    }
}
