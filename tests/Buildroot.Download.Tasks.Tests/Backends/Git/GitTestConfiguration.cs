namespace Buildroot.Download.Tasks.Tests.Backends.Git;

/// <summary>
/// Gives this test process (and every git it starts, which inherits the environment) a global
/// git config of its own, never the user's: file:// submodules allowed, repositories owned by
/// anyone trusted, an identity for the commits tests make, and no system config.
/// </summary>
internal static class GitTestConfiguration
{
    private static readonly Lazy<string> LazyPath = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Installs it (once per process) and returns the config file's path.</summary>
    public static string EnsureInstalled() => LazyPath.Value;

    private static string Install()
    {
        string folder = Path.Combine(Path.GetTempPath(), "brdl-tests", $"gitconfig-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "config");
        File.WriteAllText(
            path,
            """
            [protocol "file"]
            	allow = always
            [safe]
            	directory = *
            [user]
            	name = Brdl Tests
            	email = tests@brdl.invalid
            [advice]
            	detachedHead = false
            """);
        Environment.SetEnvironmentVariable("GIT_CONFIG_GLOBAL", path);
        Environment.SetEnvironmentVariable("GIT_CONFIG_NOSYSTEM", "1");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return path;
    }
}
