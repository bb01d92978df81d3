using System.Collections.Immutable;
using Buildroot.Download.Tasks.Archives;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The git method (docs/behaviour.md, "Download methods"): bring the package's cache clone up to date,
/// check out the changeset (with submodules and LFS content when asked), apply
/// <c>export-subst</c>, and pack the work tree, less its <c>.git</c> folder, into Buildroot's
/// reproducible archive. A cache that fails in a way a fresh clone could fix is deleted and
/// the whole thing done once more from scratch.
/// </summary>
internal sealed class GitBackend : IDownloadBackend
{
    private static readonly ImmutableArray<string> ArchiveExclusions = [".git"];

    public async Task<BackendResult> FetchAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        RefuseUnusableValues(request);
        GitRunner git = await GitRunner.CreateAsync(request, GitCache.FolderOf(request), cancellationToken).ConfigureAwait(false);
        var cache = new GitCache(request, git);

        DateTimeOffset commitDate;
        try
        {
            commitDate = await PrepareWorkTreeAsync(request, git, cache, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (AFreshCloneMightHelp(e))
        {
            request.Log.Warning(
                MessageCodes.VcsCacheRebuilt,
                $"The git cache {cache.Folder} looks damaged ({e.Message.Trim()}); removing it and starting afresh.");
            cache.Delete();

            // A second failure is final: the cause is not the cache.
            commitDate = await PrepareWorkTreeAsync(request, git, cache, cancellationToken).ConfigureAwait(false);
        }

        var archive = new ArchiveRequest(cache.Folder, request.BaseName, commitDate, request.OutputPath, ArchiveExclusions, request.Tools.Gzip) { Quiet = request.Quiet };
        await ReproducibleArchive.CreateAsync(archive, request.Runner, cancellationToken).ConfigureAwait(false);
        return BackendResult.Plain;
    }

    /// <summary>Leaves in the cache's work tree exactly what goes into the archive; returns the archive's date.</summary>
    private static async Task<DateTimeOffset> PrepareWorkTreeAsync(
        BackendRequest request,
        GitRunner git,
        GitCache cache,
        CancellationToken cancellationToken)
    {
        string commit = await cache.UpdateAndResolveAsync(cancellationToken).ConfigureAwait(false);

        var checkout = new GitCheckout(request, git);
        DateTimeOffset commitDate = await checkout.CheckOutAsync(commit, cancellationToken).ConfigureAwait(false);
        if (request.GitSubmodules)
        {
            await checkout.UpdateSubmodulesAsync(cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<string> files = GitWorkTreeFiles.List(git.WorkTree);
        string[] submoduleFolders = GitSubmoduleGitdirs.SubmoduleFolders(files).ToArray();
        GitSubmoduleGitdirs.MakeRelative(git.WorkTree, submoduleFolders);

        if (request.GitLfs)
        {
            await checkout.FetchLargeFilesAsync(submoduleFolders.Select(f => Path.Combine(git.WorkTree, f)), cancellationToken).ConfigureAwait(false);
        }

        // A shallow cache lacks the parents and refs some formats print: they come first, then.
        await new GitExportSubst(git, cache.IsShallow ? cache.DeepenAsync : null).ApplyAsync(files, cancellationToken).ConfigureAwait(false);
        return commitDate;
    }

    /// <summary>
    /// Anything but a changeset that does not exist (a fresh clone would not have it either),
    /// a git that cannot be run, a transport that is refused, a time limit (a server that stalls
    /// would stall again, and the cache would be lost for nothing), and cancellation (the
    /// user's, or the attempt's overall limit).
    /// </summary>
    private static bool AFreshCloneMightHelp(Exception e) => e switch
    {
        OperationCanceledException => false,
        BrdlException
        {
            Code: MessageCodes.NoSuchChangeset or MessageCodes.ToolNotFound or MessageCodes.SubmoduleTransportRefused
                or MessageCodes.ToolStalled or MessageCodes.ToolTimedOut,
        } => false,
        _ => true,
    };

    private static void RefuseUnusableValues(BackendRequest request)
    {
        if (request.Uri.Length == 0)
        {
            throw new BrdlException(FailureScope.Package, MessageCodes.MissingSite, "A git package needs a site: the URL of the repository to clone.");
        }

        if (request.Changeset.Length == 0)
        {
            throw new BrdlException(FailureScope.Package, MessageCodes.MissingVersion, "A git package needs a version: the branch, tag or sha1 to download.");
        }

        ArgumentGuard.RefuseOptionLike(request.Uri, "git site", "git");
        ArgumentGuard.RefuseOptionLike(request.Changeset, "git changeset", "git");
        GitTransports.RefuseUnmeant(request.Uri, request.RawName);
    }
}
