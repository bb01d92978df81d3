using System.Collections.Immutable;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Download;

/// <summary>
/// Buildroot's dl-wrapper for one file, called with the package lock held:
/// an existing file is checked (its stamp, else its hashes) and kept when good; otherwise each
/// URI is tried in turn — backend into a scratch folder, post-process, hash check — and the
/// first good result is renamed into place atomically. Every failure leaves the download
/// folder as it was. What a hash check means is <see cref="HashPolicy"/>'s to say; whether a
/// failure ends the attempt, the package or the build is said where it is raised
/// (<see cref="BrdlException.Scope"/>).
/// </summary>
internal sealed class DownloadWrapper
{
    private readonly DownloadSettings _settings;
    private readonly DownloadFolder _folder;
    private readonly DownloadServices _services;
    private readonly AssetCacheStep _caches;

    public DownloadWrapper(DownloadSettings settings, DownloadFolder folder, DownloadServices services)
    {
        _settings = settings;
        _folder = folder;
        _services = services;
        _caches = new AssetCacheStep(settings, folder, services);
    }

    private IBuildLog Log => _services.Log;

    /// <summary>True when <see cref="DownloadAsync"/> would fetch the file rather than keep what is there.</summary>
    public bool WillFetch(PackageSpec package, PlannedFile file)
    {
        string finalPath = _folder.FinalPath(package, file.FileName);
        return package.TransientDownload
            ? !UsesTransientCopyAtHand(finalPath)
            : !File.Exists(finalPath) && !File.Exists(_folder.OldLayoutPath(file.FileName));
    }

    /// <summary>
    /// The files of <paramref name="package"/> when every one is in the download folder with a
    /// stamp that vouches for it (see <see cref="VerifiedStamp"/>); null when any must be looked
    /// at more closely, under the lock. Reads one small stamp and one status per file, and one
    /// status per hash file; the hash files themselves only when a stamp does not name them as they are.
    /// </summary>
    public ImmutableArray<DownloadedFile>? KeptByTheirStamps(PackageSpec package, ImmutableArray<PlannedFile> files)
    {
        if (package.TransientDownload)
        {
            return null;
        }

        string[]? hashFilesNow = VerifiedStamp.Describe(package.HashFiles);
        HashFileSet? hashFiles = null; // read only when a stamp asks for the lines, then once for all files
        var kept = ImmutableArray.CreateBuilder<DownloadedFile>(files.Length);
        foreach (PlannedFile file in files)
        {
            string finalPath = _folder.FinalPath(package, file.FileName);
            ImmutableArray<HashEntry> inline = file.IsMainSource ? package.InlineHashes : [];
            if (!VerifiedStamp.Vouches(
                    _folder.StampPath(package, file.FileName),
                    finalPath,
                    hashFilesNow,
                    inline,
                    () => PackageHashChecks.Subject(package, file, hashFiles ??= HashFileSet.Read(package.HashFiles), _settings).Expected))
            {
                return null;
            }

            kept.Add(new DownloadedFile(finalPath, package.Name, Transient: false, Verified: true));
        }

        return kept.MoveToImmutable();
    }

    public async Task<DownloadedFile> DownloadAsync(PackageSpec package, PlannedFile file, HashFileSet hashFiles, CancellationToken cancellationToken)
    {
        string finalPath = _folder.FinalPath(package, file.FileName);
        HashCheckSubject subject = PackageHashChecks.Subject(package, file, hashFiles, _settings);

        if (package.TransientDownload)
        {
            if (UsesTransientCopyAtHand(finalPath))
            {
                return new DownloadedFile(finalPath, package.Name, Transient: true, Verified: false);
            }
        }
        else
        {
            _folder.AdoptOldLayoutFile(package, file.FileName, Log);
            if (File.Exists(finalPath) &&
                await KeepExistingAsync(package, file, finalPath, subject, cancellationToken).ConfigureAwait(false) is { } kept)
            {
                return kept;
            }
        }

        if (_settings.Offline)
        {
            throw new BrdlException(
                FailureScope.Package,
                MessageCodes.OfflineFileMissing,
                $"{package.Name}: {finalPath} is not in the download folder, and downloads are off (BuildrootDownloadOffline=true). Download it on a connected machine (dotnet build -t:BuildrootSource) or copy it there.");
        }

        // The asset caches come before every planned URI; in air-gapped mode a miss there is the package's error.
        CacheLookup cached = await _caches.LookUpAsync(package, file, finalPath, subject, cancellationToken).ConfigureAwait(false);
        if (cached.Installed is { } fromCache)
        {
            return fromCache;
        }

        var failures = new List<UriFailure>();
        foreach (DownloadUri uri in file.Uris)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await TryUriAsync(package, file, uri, finalPath, subject, failures, cancellationToken).ConfigureAwait(false) is { } downloaded)
            {
                if (package.TransientDownload)
                {
                    _services.Transients.MarkDownloaded(finalPath);
                }

                _caches.StoreLater(cached, downloaded, cancellationToken);
                return downloaded;
            }
        }

        throw file.Uris.IsEmpty
            ? new BrdlException(
                FailureScope.Package,
                MessageCodes.AllUrisFailed,
                $"{package.Name}: no site to download {file.FileName} from: set Site on the package, or BuildrootPrimarySite/BuildrootBackupSite.")
            : AllSitesFailed(package, file, failures);
    }

    /// <summary>
    /// A transient file is fetched once within a build; offline, the copy at hand is all there is.
    /// </summary>
    private bool UsesTransientCopyAtHand(string finalPath) =>
        _services.Transients.AlreadyDownloaded(finalPath) || (_settings.Offline && File.Exists(finalPath));

    /// <summary>Step 1 of the wrapper: the existing file when it may be kept, null when it must be downloaded again.</summary>
    private async Task<DownloadedFile?> KeepExistingAsync(
        PackageSpec package,
        PlannedFile file,
        string finalPath,
        HashCheckSubject subject,
        CancellationToken cancellationToken)
    {
        string stampPath = _folder.StampPath(package, file.FileName);
        if (VerifiedStamp.Vouches(stampPath, finalPath, subject.Expected))
        {
            return new DownloadedFile(finalPath, package.Name, Transient: false, Verified: true);
        }

        HashVerdict verdict = await HashPolicy.CheckAsync(finalPath, subject, HashCheckPurpose.ExistingFile, null, cancellationToken).ConfigureAwait(false);
        switch (verdict.Action)
        {
            case HashAction.Accept or HashAction.AcceptWithWarning:
                Report(package, verdict);
                if (verdict.IsVerified)
                {
                    VerifiedStamp.Write(stampPath, finalPath, verdict.Verified, subject.Expected);
                }

                return new DownloadedFile(finalPath, package.Name, Transient: false, verdict.IsVerified);
            case HashAction.DownloadAgain:
                Report(package, verdict);
                _folder.Discard(package, file.FileName);
                return null;
            default:
                throw PackageFailure(package, verdict);
        }
    }

    /// <summary>Step 3 of the wrapper for one URI: the installed file, or null to try the next URI.</summary>
    private async Task<DownloadedFile?> TryUriAsync(
        PackageSpec package,
        PlannedFile file,
        DownloadUri uri,
        string finalPath,
        HashCheckSubject subject,
        List<UriFailure> failures,
        CancellationToken cancellationToken)
    {
        string scratch = _folder.CreateScratchFolder(package);
        string output = Path.Combine(scratch, file.FileName);
        IDownloadBackend backend = uri.Method.CreateBackend!();
        BackendRequest request = CreateRequest(package, file, uri, output, scratch, subject.Expected);
        string runBy = backend.RunBy(request) ?? uri.Method.Name;

        // What the user reads while it comes: the file starting, its progress, and the file in.
        using var progress = new TransferProgress(Log, package.Name, file.FileName, SecretRedactor.Redact(uri.Uri), runBy, _settings.Quiet);
        ProcessRunner runner = _services.Runner.ReportingTo(progress);

        // The overall limit covers the whole attempt: the transfer, and the post-process's own fetches.
        using var attemptLimit = new CancellationTokenSource(_settings.Limits.Overall);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptLimit.Token);
        try
        {
            BackendResult fetched = await backend.FetchAsync(request with { Progress = progress, Runner = runner }, attempt.Token).ConfigureAwait(false);

            IReadOnlyDictionary<string, string>? digests = fetched.Digests;
            if (file.IsMainSource && package.DownloadPostProcess is { } postProcess)
            {
                await _services.PostProcesses(postProcess).RunAsync(PostProcessRequest(package, output, scratch, runner), attempt.Token).ConfigureAwait(false);
                digests = null; // The archive was rewritten: what the backend hashed is gone.
            }

            HashVerdict verdict = await HashPolicy.CheckAsync(output, subject, HashCheckPurpose.Download, digests, attempt.Token).ConfigureAwait(false);
            switch (verdict.Action)
            {
                case HashAction.Accept or HashAction.AcceptWithWarning:
                    progress.Completed(new FileInfo(output).Length, verdict.Summary);
                    Report(package, verdict);
                    await _folder.InstallAsync(output, finalPath, fetched.Executable, cancellationToken).ConfigureAwait(false);
                    if (verdict.IsVerified)
                    {
                        VerifiedStamp.Write(_folder.StampPath(package, file.FileName), finalPath, verdict.Verified, subject.Expected);
                    }

                    return new DownloadedFile(finalPath, package.Name, package.TransientDownload, verdict.IsVerified);
                case HashAction.TryNextSite:
                    throw new BrdlException(FailureScope.WrongContent, verdict.Code!, verdict.Text) { Location = verdict.Location };
                default:
                    throw PackageFailure(package, verdict);
            }
        }
        catch (BrdlException e) when (e.EndsOnlyTheAttempt)
        {
            return AttemptFailed(package, uri, runBy, e, failures);
        }
        catch (OperationCanceledException) when (attemptLimit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            string reason = $"gave up after {_settings.Limits.Overall.TotalSeconds:0} s, the limit of one attempt (BuildrootDownloadTimeout).";
            return AttemptFailed(package, uri, runBy, new BrdlException(FailureScope.Attempt, MessageCodes.AttemptTimedOut, reason), failures);
        }
        finally
        {
            ScratchCleanup.Delete(scratch);
        }
    }

    /// <summary>
    /// Notes why one URI failed. It is a detail, not a warning: when a later site delivers, the
    /// build is fine (and must stay fine under -warnaserror); when none does, the final error
    /// lists every URI with its reason.
    /// </summary>
    private DownloadedFile? AttemptFailed(PackageSpec package, DownloadUri uri, string runBy, BrdlException failure, List<UriFailure> failures)
    {
        string site = SecretRedactor.Redact(uri.Uri);
        Log.Detail($"{package.Name}: {site} ({runBy}): {failure.Message}");
        failures.Add(new UriFailure(site, $"({runBy}): {QuotedText.OneLine(failure.Reason ?? failure.Message).Trim().TrimEnd('.')}", failure));
        return null;
    }

    /// <summary>
    /// The one error of a file no site delivered, on one line (each line of a message is an
    /// annotation of its own in CI): every site tried and why, each piece of advice once. It
    /// points at the hash file line when a site delivered bytes that fail it, else the package.
    /// </summary>
    private static BrdlException AllSitesFailed(PackageSpec package, PlannedFile file, List<UriFailure> failures)
    {
        // The final error is coded by the most telling cause: a site that delivered the wrong thing
        // (bytes that fail their hashes, a refused archive, a changeset it does not have) says more
        // than one that could not be reached, and its fix is in the package, not in the network.
        BrdlException? wrongContent = failures.Find(f => f.Failure.Scope == FailureScope.WrongContent)?.Failure;

        // Advice for a site that could not deliver ("check the site and file name") would mislead when
        // another site delivered the wrong thing: the fix is then in the package.
        string[] advice = wrongContent is not null
            ? []
            : failures.Select(f => f.Failure.Advice).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();

        // Sites that failed alike (one mirror's two URIs, a host that does not resolve) share one reason.
        IEnumerable<string> reasons = failures
            .GroupBy(f => f.Why, StringComparer.Ordinal)
            .Select(alike => $"{string.Join(", ", alike.Select(f => f.Site))} {alike.Key}");
        string sites = failures.Count == 1 ? "its one site" : $"any of its {failures.Count} sites";
        return new BrdlException(
            FailureScope.Package,
            wrongContent?.Code ?? MessageCodes.AllUrisFailed,
            $"{package.Name}: could not download {file.FileName} from {sites} (the download folder is unchanged): " +
            $"{string.Join("; ", reasons)}.{string.Concat(advice.Select(a => " " + a))}")
        {
            Location = wrongContent?.Location,
        };
    }

    private void Report(PackageSpec package, HashVerdict verdict)
    {
        if (verdict.Action is HashAction.AcceptWithWarning or HashAction.DownloadAgain)
        {
            Log.Warning(verdict.Code!, $"{package.Name}: {verdict.Text}", verdict.Location ?? package.Location);
        }
    }

    private static BrdlException PackageFailure(PackageSpec package, HashVerdict verdict) =>
        new(FailureScope.Package, verdict.Code!, $"{package.Name}: {verdict.Text}") { Location = verdict.Location };

    private Vendoring.PostProcessRequest PostProcessRequest(PackageSpec package, string archive, string scratch, ProcessRunner runner) =>
        new()
        {
            ArchivePath = archive,
            ScratchFolder = Directory.CreateDirectory(Path.Combine(scratch, "post-process")).FullName,
            DownloadDirectory = _folder.Root,
            Settings = new Vendoring.VendoringSettings(package.CargoManifest, package.GoSubdir),
            BaseName = package.BaseName,
            GoProxy = _settings.GoProxy,
            Tools = _settings.Tools,
            Limits = _settings.Limits,
            Runner = runner,
            Log = Log,
        };

    private BackendRequest CreateRequest(PackageSpec package, PlannedFile file, DownloadUri uri, string output, string scratch, HashExpectations expected) =>
        new()
        {
            Uri = uri.Uri,
            FileName = file.FileName,
            OutputPath = output,
            ScratchFolder = scratch,
            Changeset = package.Version,
            PackageDownloadFolder = _folder.PackageFolder(package),
            BaseName = package.BaseName,
            RawName = package.RawName,
            Quiet = _settings.Quiet,
            GitSubmodules = package.GitSubmodules,
            GitLfs = package.GitLfs,
            SvnExternals = package.SvnExternals,
            UrlEncode = uri.IsMirror,
            // DlOpts are options for the package's own tool (git, scp, …); a mirror is fetched
            // as a plain file by another backend, which would not understand them.
            DlOpts = uri.IsMirror ? [] : package.DlOpts,
            WantedDigests = [.. expected.KnownAlgorithms],
            Limits = _settings.Limits,
            Tools = _settings.Tools,
            Runner = _services.Runner,
            Log = Log,
        };

    /// <param name="Site">The URI tried, secrets hidden.</param>
    /// <param name="Why">What fetched from it, and why it failed, on one line: "(built-in http client): the server answered 404 Not Found".</param>
    /// <param name="Failure">What went wrong there: its code, whether the site could not deliver or delivered the wrong thing.</param>
    private sealed record UriFailure(string Site, string Why, BrdlException Failure);
}
