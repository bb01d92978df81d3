using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Runs the user's git for the git backend, always against a repository named explicitly: a
/// damaged cache must never make git look upwards and act on a repository that encloses the
/// download folder (a <c>clean -ffdx</c> there would wipe someone's project). Git never
/// prompts (no terminal in a build), and variables a caller may have exported that redirect
/// git elsewhere (a build run from a git hook has some) are removed.
/// </summary>
internal sealed class GitRunner
{
    private const string MissingGitHint = "Install git, or set BuildrootGitPath to the git program to use.";

    // What git reads to find another repository, index or object store than the one we name.
    private static readonly string[] RedirectingVariables =
    [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE",
    ];

    private readonly BackendRequest _request;
    private readonly string _workTree;

    public GitRunner(BackendRequest request, string workTree)
    {
        _request = request;
        _workTree = workTree;
    }

    /// <summary>The cache's work tree, whose <c>.git</c> every superproject command uses.</summary>
    public string WorkTree => _workTree;

    /// <summary>A git command on the cache repository (the superproject).</summary>
    public ExternalCommand Command(params string[] arguments) =>
        Base(_workTree)
            .WithEnvironment("GIT_DIR", Path.Combine(_workTree, ".git"))
            .WithArguments(arguments);

    /// <summary>
    /// A git command run inside a submodule's work tree, which git finds through the
    /// submodule's <c>.git</c> file; it may not look above the cache.
    /// </summary>
    public ExternalCommand CommandIn(string submoduleFolder, params string[] arguments) =>
        Base(submoduleFolder).WithArguments(arguments);

    public Task<CommandResult> RunAsync(ExternalCommand command, CancellationToken cancellationToken) =>
        _request.Runner.RunAsync(command, cancellationToken);

    /// <summary>Runs <paramref name="command"/> and returns what it printed, trimmed of the final newline.</summary>
    public async Task<string> ReadAsync(ExternalCommand command, CancellationToken cancellationToken)
    {
        CommandResult result = await _request.Runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.TrimEnd('\n');
    }

    private ExternalCommand Base(string workingDirectory)
    {
        var command = new ExternalCommand(_request.Tools.Git)
            .WithWorkingDirectory(workingDirectory)
            .WithMissingToolHint(MissingGitHint)
            .WithEnvironment("GIT_TERMINAL_PROMPT", "0")
            // A safety net for submodule commands: git may find the cache's .git, nothing above it.
            .WithEnvironment("GIT_CEILING_DIRECTORIES", Path.GetDirectoryName(_workTree));
        foreach (string variable in RedirectingVariables)
        {
            command = command.WithEnvironment(variable, null);
        }

        return command with { Quiet = _request.Quiet };
    }
}
