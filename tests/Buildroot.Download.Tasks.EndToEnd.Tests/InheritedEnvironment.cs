namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// Environment variables for the builds a test starts, and for every tool those builds run:
/// set in this test process until disposed, because the harness gives each <c>dotnet build</c>
/// a copy of this process's environment. Every end-to-end test runs alone (one collection,
/// no parallelism), so no other test's build sees them; the previous values come back on dispose.
/// </summary>
internal sealed class InheritedEnvironment : IDisposable
{
    private readonly Dictionary<string, string?> _previous = new(StringComparer.Ordinal);

    public InheritedEnvironment(IReadOnlyDictionary<string, string> variables)
    {
        foreach ((string name, string value) in variables)
        {
            _previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>
    /// A git configuration of the test's own in <paramref name="folder"/>, never the user's (nor the
    /// system's): submodules over <c>file://</c> allowed (git refuses them by default) and
    /// repositories owned by anyone trusted, for the builds started until disposed.
    /// </summary>
    public static InheritedEnvironment WithGitConfiguration(string folder)
    {
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
        return new InheritedEnvironment(new Dictionary<string, string>
        {
            ["GIT_CONFIG_GLOBAL"] = config,
            ["GIT_CONFIG_NOSYSTEM"] = "1",
        });
    }

    public void Dispose()
    {
        foreach ((string name, string? value) in _previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
