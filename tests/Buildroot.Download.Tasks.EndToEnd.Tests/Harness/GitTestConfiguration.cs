namespace Buildroot.Download.Tasks.EndToEnd.Tests.Harness;

internal static class GitTestConfiguration
{
    /// <summary>
    /// Gives the project's builds a git configuration of the test's own, never the user's (nor
    /// the system's): submodules over <c>file://</c> allowed (git refuses them by default) and
    /// repositories owned by anyone trusted.
    /// </summary>
    public static void UseOwnGitConfiguration(this EndToEndProject project)
    {
        string folder = Path.Combine(project.Root, "git-config");
        Directory.CreateDirectory(folder);
        string config = Path.Combine(folder, "gitconfig");
        File.WriteAllText(
            config,
            """
            [protocol "file"]
            	allow = always
            [safe]
            	directory = *
            """);
        project.BuildEnvironment["GIT_CONFIG_GLOBAL"] = config;
        project.BuildEnvironment["GIT_CONFIG_NOSYSTEM"] = "1";
    }
}
