using System.Text.RegularExpressions;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Turns the cache's work tree into exactly the files of one commit: no leftovers of the
/// previous version, its submodules and, when asked, the content of its LFS files.
/// </summary>
internal sealed partial class GitCheckout
{
    private const string GitlinkMode = "160000";

    private readonly GitRunner _git;
    private readonly BackendRequest _request;

    public GitCheckout(BackendRequest request, GitRunner git)
    {
        _request = request;
        _git = git;
    }

    /// <summary>Checks out <paramref name="commit"/> and returns its committer date.</summary>
    public async Task<DateTimeOffset> CheckOutAsync(string commit, CancellationToken cancellationToken)
    {
        // The new commit may have other submodules, or a folder where a submodule was: remove
        // the working copies of the current ones (their repositories stay in .git/modules, so
        // they are not fetched again).
        await RemoveSubmoduleWorkingCopiesAsync(cancellationToken).ConfigureAwait(false);

        // The commit id, resolved once from the changeset, and detached: no branch is created
        // or moved, and no file that happens to bear the changeset's name can be mistaken for it.
        await _git.RunAsync(WithoutLfsSmudge(_git.Command("checkout", "-f", "-q", "--detach", commit, "--")), cancellationToken).ConfigureAwait(false);

        // Untracked leftovers: an interrupted earlier run, empty parents of removed submodules.
        await _git.RunAsync(_git.Command("clean", "-ffdx", "-q"), cancellationToken).ConfigureAwait(false);

        string seconds = await _git.ReadAsync(_git.Command("log", "-1", "--pretty=format:%ct"), cancellationToken).ConfigureAwait(false);
        return DateTimeOffset.FromUnixTimeSeconds(long.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Checks out every submodule, recursively, at the commit the superproject records. A
    /// submodule whose URL uses a refused transport (see <see cref="GitTransports"/>) is the
    /// repository's fault: another site (a mirror's archive) may still serve the package.
    /// </summary>
    public async Task UpdateSubmodulesAsync(CancellationToken cancellationToken)
    {
        ExternalCommand update = WithoutLfsSmudge(_git.Command("submodule", "update", "--init", "--recursive"))
            .WithEnvironment("GIT_ALLOW_PROTOCOL", _git.SubmoduleTransports);
        CommandResult result = await _git.RunAsync(update.WithoutThrowingOnFailure(), cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return;
        }

        string said = SecretRedactor.Redact(ProcessRunner.LastLines(result.StandardError));
        throw RefusedTransport().Match(result.StandardError) is { Success: true } refused
            ? new BrdlException(
                FailureScope.WrongContent,
                MessageCodes.SubmoduleTransportRefused,
                $"A submodule of {SecretRedactor.Redact(_request.Uri)} uses the git transport '{refused.Groups[1].Value}', which is refused: " +
                $"submodules may use {_git.SubmoduleTransports.Replace(":", ", ", StringComparison.Ordinal)}" +
                (_git.SubmoduleTransports == GitTransports.AllowList ? "." : " (file too where your git config says protocol.file.allow=always).") +
                $" git said: {said}")
            : new BrdlException(FailureScope.Attempt, MessageCodes.ToolFailed, $"'{update}' failed with exit code {result.ExitCode}: {said}");
    }

    /// <summary>Replaces LFS pointer files by their content, in the superproject and in <paramref name="submoduleFolders"/>.</summary>
    public async Task FetchLargeFilesAsync(IEnumerable<string> submoduleFolders, CancellationToken cancellationToken)
    {
        string[][] steps = [["lfs", "install", "--local"], ["lfs", "fetch"], ["lfs", "checkout"]];
        foreach (string[] step in steps)
        {
            await _git.RunAsync(_git.Command(step), cancellationToken).ConfigureAwait(false);
        }

        foreach (string folder in submoduleFolders)
        {
            foreach (string[] step in steps)
            {
                await _git.RunAsync(_git.CommandIn(folder, step), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// LFS content comes only from the explicit steps above, when the package asks for it; a
    /// smudge filter from the user's global git config must not decide what goes into the
    /// archive (one machine would archive content, another pointers).
    /// </summary>
    private static ExternalCommand WithoutLfsSmudge(ExternalCommand command) =>
        command.WithEnvironment("GIT_LFS_SKIP_SMUDGE", "1");

    private async Task RemoveSubmoduleWorkingCopiesAsync(CancellationToken cancellationToken)
    {
        // The index lists every submodule of the current checkout as a gitlink; removing the
        // top-level ones removes nested ones with them. A fresh cache has no index: nothing to do.
        string staged = await _git.ReadAsync(_git.Command("ls-files", "-z", "--stage"), cancellationToken).ConfigureAwait(false);
        foreach (string entry in staged.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<mode> <object> <stage>\t<path>"
            int tab = entry.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0 || !entry.StartsWith(GitlinkMode + " ", StringComparison.Ordinal))
            {
                continue;
            }

            string relativePath = entry[(tab + 1)..];
            if (SafeFolderInWorkTree(relativePath) is { } folder)
            {
                if (!_request.Quiet)
                {
                    _request.Log.Detail($"Deregistering submodule \"{relativePath}\"");
                }

                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>The submodule's folder, if it exists and is reached without following a symlink out of the cache.</summary>
    private string? SafeFolderInWorkTree(string relativePath)
    {
        string current = _git.WorkTree;
        foreach (string part in relativePath.Split('/'))
        {
            if (part is "" or "." or ".." or ".git")
            {
                return null;
            }

            current = Path.Combine(current, part);
            var info = new DirectoryInfo(current);
            if (!info.Exists || info.LinkTarget is not null)
            {
                return null;
            }
        }

        return current;
    }

    // git: "fatal: transport 'ext' not allowed" (the message is not translated).
    [GeneratedRegex(@"transport '([^']*)' not allowed")]
    private static partial Regex RefusedTransport();
}
