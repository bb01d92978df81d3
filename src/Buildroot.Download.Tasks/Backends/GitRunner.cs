using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Runs the user's git for the git backend, always against a repository named explicitly: a
/// damaged cache must never make git look upwards and act on a repository that encloses the
/// download folder (a <c>clean -ffdx</c> there would wipe someone's project). Git never
/// prompts (no terminal in a build; ssh in batch mode unless the user has an ssh command of
/// their own), uses only the transports of <see cref="GitTransports"/>, is held to the time
/// limits (<see cref="NetworkToolSettings.GitEnvironment"/> and the stall watchdog), and
/// variables a caller may have exported that redirect git elsewhere (a build run from a git
/// hook has some) are removed. The housekeeping git starts after a fetch (<c>gc --auto</c>,
/// <c>maintenance run --auto</c>) runs before git returns, never in the background: detached,
/// it would work on the cache after the package lock is released, and the next build's clearing
/// of an interrupted git's leftovers could delete the lock and temporary files it works on.
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

    // Given through GIT_CONFIG_COUNT/KEY/VALUE (git 2.31 and later), after any the user's environment gives.
    private static readonly (string Key, string Value)[] ForegroundHousekeeping =
    [
        ("gc.autoDetach", "false"),
        ("maintenance.autoDetach", "false"),
    ];

    private readonly BackendRequest _request;
    private readonly string _workTree;
    private readonly UserGitConfig _user;

    private GitRunner(BackendRequest request, string workTree, UserGitConfig user)
    {
        _request = request;
        _workTree = workTree;
        _user = user;
    }

    /// <summary>
    /// A runner for the cache at <paramref name="workTree"/>, after one look at the user's git
    /// configuration: the ssh command and the submodule policy for <c>file</c> are theirs to keep.
    /// </summary>
    public static async Task<GitRunner> CreateAsync(BackendRequest request, string workTree, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workTree);
        var probe = new GitRunner(request, workTree, UserGitConfig.Unknown);
        CommandResult config = await probe.RunAsync(
            probe.Command("config", "--get-regexp", UserGitConfig.Keys).WithoutThrowingOnFailure() with { Quiet = true },
            cancellationToken).ConfigureAwait(false);
        return new GitRunner(request, workTree, UserGitConfig.Parse(config.Succeeded ? config.StandardOutput : string.Empty));
    }

    /// <summary>
    /// What <c>GIT_ALLOW_PROTOCOL</c> is for <c>git submodule update</c>: file only where the
    /// user's git config allows it for submodules (see <see cref="GitTransports.AllowListWithoutFile"/>).
    /// </summary>
    public string SubmoduleTransports => _user.SubmodulesMayUseFile ? GitTransports.AllowList : GitTransports.AllowListWithoutFile;

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
            .WithEnvironment(NetworkToolSettings.GitEnvironment(_request.Limits))
            .WithEnvironment("GIT_ALLOW_PROTOCOL", GitTransports.AllowList)
            .WithEnvironment(ConfigurationFromEnvironment(ForegroundHousekeeping))
            .WithStallLimit(_request.Limits.Stall)
            // A safety net for submodule commands: git may find the cache's .git, nothing above it.
            .WithEnvironment("GIT_CEILING_DIRECTORIES", Path.GetDirectoryName(_workTree));
        if (!_user.HasSshCommand)
        {
            command = command.WithEnvironment("GIT_SSH_COMMAND", NetworkToolSettings.SshCommand(_request.Limits));
        }

        foreach (string variable in RedirectingVariables)
        {
            command = command.WithEnvironment(variable, null);
        }

        return command with { Quiet = _request.Quiet };
    }

    /// <summary>
    /// Configuration for every git run, as numbered environment variables: added after those the
    /// build's own environment may already number, which keep their meaning.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string>> ConfigurationFromEnvironment((string Key, string Value)[] settings)
    {
        int first = int.TryParse(Environment.GetEnvironmentVariable("GIT_CONFIG_COUNT"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int given) ? given : 0;
        yield return new("GIT_CONFIG_COUNT", (first + settings.Length).ToString(System.Globalization.CultureInfo.InvariantCulture));
        for (int i = 0; i < settings.Length; i++)
        {
            string index = (first + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return new($"GIT_CONFIG_KEY_{index}", settings[i].Key);
            yield return new($"GIT_CONFIG_VALUE_{index}", settings[i].Value);
        }
    }
}
