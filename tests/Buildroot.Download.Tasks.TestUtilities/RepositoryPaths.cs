namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>Where the repository and the shared data beside it (<c>../shared</c>) are.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding <c>Buildroot.Download.Tasks.sln</c>.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary><c>../shared</c> beside the repository (CI puts it there); may not exist.</summary>
    public static string Shared =>
        Environment.GetEnvironmentVariable("BRDL_SHARED_DIR") is { Length: > 0 } overridden
            ? overridden
            : Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>The git conformance data from Buildroot's own test suite.</summary>
    public static string GitConformance => Path.Combine(Shared, "conformance", "buildroot-git");

    /// <summary>Buildroot's own package tree with what its show-info says (<c>buildroot-manifests/README.md</c>).</summary>
    public static string ManifestConformance => Path.Combine(Shared, "conformance", "buildroot-manifests");

    public static string TestAssets => Path.Combine(Root, "testassets");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Buildroot.Download.Tasks.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Buildroot.Download.Tasks.sln above {AppContext.BaseDirectory}.");
    }
}
