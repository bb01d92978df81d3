using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The clone kept at <c>&lt;package download folder&gt;/git</c> and reused for every version of
/// the package, so that a new version fetches only what changed. This class brings into it
/// what a changeset needs (that commit alone where the server allows it, else every branch
/// and tag, as Buildroot) and finds the commit the changeset names in it.
/// </summary>
internal sealed class GitCache
{
    public const string FolderName = "git";

    // Beside the cache, as Buildroot's git.readme: people do find this folder and work in it.
    private const string ReadmeName = "git.readme";

    private const string ReadmeText =
        """
        IMPORTANT NOTE!

        The git tree located in this directory is for the exclusive use
        of the Buildroot download tasks (as Buildroot's own is for
        Buildroot), which use it as a local cache to reduce bandwidth usage.

        Every download *will* trash any changes in that tree whenever it
        needs to use it, and may even remove it when it detects that the
        repository may have been damaged or corrupted.

        Do *not* work in that directory; your changes will eventually get
        lost. Do *not* even use it as a remote, or as the source for new
        worktrees; your commits will eventually get lost.

        """;

    /// <summary>The last commit fetched alone; no changeset name resolves to it.</summary>
    private const string LastFetchedRef = "refs/brdl/last-fetched";

    private readonly GitRunner _git;
    private readonly BackendRequest _request;

    public GitCache(BackendRequest request, GitRunner git)
    {
        _request = request;
        _git = git;
    }

    /// <summary>Absolute: git runs inside it and is given paths into it, which must not be read relative to there.</summary>
    public static string FolderOf(BackendRequest request) => Path.GetFullPath(Path.Combine(request.PackageDownloadFolder, FolderName));

    public string Folder => _git.WorkTree;

    /// <summary>
    /// Brings into the cache what <see cref="BackendRequest.Changeset"/> needs, and returns the
    /// full id of the commit it names. A cache that holds nothing yet, or only what earlier
    /// downloads needed, asks the remote for that one commit and no history (a shallow fetch of
    /// the commit, tag or branch by name) where the server allows it; otherwise, and for a
    /// cache that is already a full clone, the cache is made a clone holding every branch and
    /// tag there, as Buildroot's is. A changeset that is not there is a
    /// <see cref="MessageCodes.NoSuchChangeset"/> error, and the cache is left as it is:
    /// fetching afresh would not make the commit appear.
    /// </summary>
    public async Task<string> UpdateAndResolveAsync(CancellationToken cancellationToken)
    {
        bool startsEmpty = !Directory.Exists(Path.Combine(Folder, ".git"));
        Directory.CreateDirectory(Folder);
        WriteReadme();
        RemoveLeftoversOfKilledGit();

        // On an existing repository init changes nothing, except that it repairs what it can
        // of a damaged one (missing folders, HEAD); anything missing is fetched below.
        await _git.RunAsync(_git.Command("init", "--quiet", "--", Folder), cancellationToken).ConfigureAwait(false);
        await PointOriginAtUriAsync(cancellationToken).ConfigureAwait(false);

        if ((startsEmpty || IsShallow) && await TryFetchOnlyTheChangesetAsync(cancellationToken).ConfigureAwait(false) is { } commit)
        {
            return commit;
        }

        await FetchEverythingAsync(cancellationToken).ConfigureAwait(false);
        return await ResolveCommitAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new BrdlException(
                FailureScope.WrongContent,
                MessageCodes.NoSuchChangeset,
                $"The changeset '{_request.Changeset}' does not exist in the git repository {SecretRedactor.Redact(_request.Uri)}: " +
                "no branch, tag, commit or special ref of that name was found there. Check the package's version.");
    }

    /// <summary>True while the cache holds only the commits downloads needed, without their history.</summary>
    public bool IsShallow => File.Exists(Path.Combine(Folder, ".git", "shallow"));

    /// <summary>
    /// Makes a shallow cache a full clone, every branch and tag included, as Buildroot's: for
    /// what reads history (an <c>export-subst</c> format such as <c>%d</c> or <c>%p</c>).
    /// </summary>
    public Task DeepenAsync(CancellationToken cancellationToken) => FetchEverythingAsync(cancellationToken);

    /// <summary>Removes the cache, to start again from an empty folder.</summary>
    public void Delete()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    /// <summary>
    /// A git killed mid-way (a cancelled build) leaves its lock files behind, and every later
    /// git refuses to work until they are gone; a fetch killed while receiving leaves the pack
    /// it was writing (<c>objects/pack/tmp_pack_*</c>, as large as what it had received), which
    /// nothing would ever remove. Nobody else may be using the cache while we hold the package's
    /// download lock, so they are stale: removing them is much cheaper than the fresh clone the
    /// failure would otherwise cost, and keeps the cache from growing with every kill.
    /// </summary>
    private void RemoveLeftoversOfKilledGit()
    {
        string gitFolder = Path.Combine(Folder, ".git");
        if (!Directory.Exists(gitFolder))
        {
            return;
        }

        IEnumerable<string> stale = Directory.EnumerateFiles(gitFolder, "*.lock");
        string refs = Path.Combine(gitFolder, "refs");
        if (Directory.Exists(refs))
        {
            stale = stale.Concat(Directory.EnumerateFiles(refs, "*.lock", SearchOption.AllDirectories));
        }

        string packs = Path.Combine(gitFolder, "objects", "pack");
        if (Directory.Exists(packs))
        {
            stale = stale.Concat(Directory.EnumerateFiles(packs, "tmp_*"));
        }

        foreach (string file in stale.ToArray())
        {
            if (!_request.Quiet)
            {
                _request.Log.Detail($"Removing {file}, left by an interrupted git.");
            }

            File.Delete(file);
        }
    }

    private void WriteReadme()
    {
        string readme = Path.Combine(_request.PackageDownloadFolder, ReadmeName);
        if (File.Exists(readme) && File.ReadAllText(readme) == ReadmeText)
        {
            return;
        }

        string temporary = TemporaryFiles.NameFor(readme);
        File.WriteAllText(temporary, ReadmeText);
        File.Move(temporary, readme, overwrite: true);
    }

    private async Task PointOriginAtUriAsync(CancellationToken cancellationToken)
    {
        // After a killed run the remote may be missing; after a change of site it points elsewhere.
        string remotes = await _git.ReadAsync(_git.Command("remote"), cancellationToken).ConfigureAwait(false);
        if (!remotes.Split('\n').Contains("origin", StringComparer.Ordinal))
        {
            await _git.RunAsync(_git.Command("remote", "add", "--", "origin", _request.Uri), cancellationToken).ConfigureAwait(false);
        }

        await _git.RunAsync(_git.Command("remote", "set-url", "--", "origin", _request.Uri), cancellationToken).ConfigureAwait(false);
    }

    // The package's DlOpts go to every fetch, before the remote: they are options by design.
    private string[] FetchWithDlOpts() => ["fetch", .. _request.DlOpts];

    /// <summary>
    /// Asks the remote for the changeset alone, by name or full id, with no history: what a
    /// first download needs of a large repository is one tree, not every commit since its
    /// start. Null when the remote cannot serve it so (a partial sha1, which only a full clone
    /// can resolve; a server that refuses unadvertised commits or shallow fetches), and the
    /// full fetch follows.
    /// </summary>
    private async Task<string?> TryFetchOnlyTheChangesetAsync(CancellationToken cancellationToken)
    {
        if (!_request.Quiet)
        {
            _request.Log.Detail($"Fetching only '{_request.Changeset}'");
        }

        ExternalCommand fetch = _git.Command([.. FetchWithDlOpts(), "--depth", "1", "--no-tags", "origin", _request.Changeset])
            .WithoutThrowingOnFailure();
        CommandResult fetched = await _git.RunAsync(fetch, cancellationToken).ConfigureAwait(false);
        if (!fetched.Succeeded)
        {
            if (!_request.Quiet)
            {
                _request.Log.Detail($"The server cannot send '{_request.Changeset}' alone ({ProcessRunner.LastLines(fetched.StandardError, 1).Trim()}); fetching all references.");
            }

            return null;
        }

        // FETCH_HEAD holds what was fetched: a commit, or an annotated tag to peel.
        ExternalCommand verify = _git.Command("rev-parse", "--quiet", "--verify", "FETCH_HEAD^{commit}").WithoutThrowingOnFailure();
        CommandResult result = await _git.RunAsync(verify, cancellationToken).ConfigureAwait(false);
        string commit = result.StandardOutput.Trim();
        if (!result.Succeeded || commit.Length == 0)
        {
            return null;
        }

        // A ref on it, so that the next version's fetch offers it as a commit we have: without
        // one, git has nothing to offer and the server sends that version's whole tree again.
        await _git.RunAsync(_git.Command("update-ref", LastFetchedRef, commit), cancellationToken).ConfigureAwait(false);
        return commit;
    }

    /// <summary>
    /// Buildroot's fetch: every branch and tag, then the changeset as a special ref. A shallow
    /// cache gets its history with them (<c>--unshallow</c>).
    /// </summary>
    private async Task FetchEverythingAsync(CancellationToken cancellationToken)
    {
        if (!_request.Quiet)
        {
            _request.Log.Detail("Fetching all references");
        }

        // Buildroot fetches twice, the branches and then the tags forcibly; since git 1.9 one
        // fetch with --tags brings both (the tags "in addition to" the remote's refspec), and
        // saves a second connection and ref advertisement, which is large on a big repository.
        string[] unshallow = IsShallow ? ["--unshallow"] : [];
        await _git.RunAsync(_git.Command([.. FetchWithDlOpts(), .. unshallow, "--tags", "--force", "origin"]), cancellationToken).ConfigureAwait(false);
        await TryFetchAsSpecialRefAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Forges expose refs that no branch or tag fetch brings (GitHub's <c>refs/pull/…</c>,
    /// Gerrit's <c>refs/changes/…</c>), and one cannot tell such a changeset from a branch, a
    /// tag or a sha1, so every changeset is tried as one; most are not, hence no noise on failure.
    /// </summary>
    private async Task TryFetchAsSpecialRefAsync(CancellationToken cancellationToken)
    {
        string changeset = _request.Changeset;

        // Two departures from Buildroot's "<cset>:<cset>", both for correctness:
        // '+' lets a branch that was force-pushed move (else the local copy of it stays stale
        // and shadows origin's), and --update-head-ok lets a fresh cache's unborn default branch
        // ("master") be fetched: the checkout below is always detached, so HEAD is ours to move.
        // A full object id is fetched without a destination: a branch named like a sha1 would
        // only make every later lookup of it ambiguous.
        string refspec = IsFullObjectId(changeset) ? changeset : $"+{changeset}:{changeset}";
        ExternalCommand fetch = _git.Command([.. FetchWithDlOpts(), "--update-head-ok", "origin", refspec])
            .WithoutThrowingOnFailure();
        CommandResult result = await _git.RunAsync(fetch, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded && !_request.Quiet)
        {
            _request.Log.Detail($"Could not fetch special ref '{changeset}'; assuming it is not special.");
        }
    }

    private async Task<string?> ResolveCommitAsync(CancellationToken cancellationToken)
    {
        ExternalCommand verify = _git.Command("rev-parse", "--quiet", "--verify", _request.Changeset + "^{commit}")
            .WithoutThrowingOnFailure();
        CommandResult result = await _git.RunAsync(verify, cancellationToken).ConfigureAwait(false);
        string commit = result.StandardOutput.Trim();
        return result.Succeeded && commit.Length > 0 ? commit : null;
    }

    private static bool IsFullObjectId(string changeset) =>
        changeset.Length is 40 or 64 && changeset.All(char.IsAsciiHexDigit);
}
