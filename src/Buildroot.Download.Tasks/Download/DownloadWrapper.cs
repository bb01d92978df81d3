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
/// folder as it was.
/// </summary>
internal sealed class DownloadWrapper
{
    private readonly DownloadSettings _settings;
    private readonly DownloadFolder _folder;
    private readonly DownloadServices _services;

    public DownloadWrapper(DownloadSettings settings, DownloadFolder folder, DownloadServices services)
    {
        _settings = settings;
        _folder = folder;
        _services = services;
    }

    private IBuildLog Log => _services.Log;

    public async Task<DownloadedFile> DownloadAsync(PackageSpec package, PlannedFile file, CancellationToken cancellationToken)
    {
        string finalPath = _folder.FinalPath(package, file.FileName);
        bool skipHashCheck = file.IsMainSource && package.SkipsHashCheck;
        HashExpectations expected = HashExpectations.Load(
            file.FileName,
            package.HashFiles,
            file.IsMainSource ? package.InlineHashes : ImmutableArray<string>.Empty);

        // Within one build a transient file is fetched once; offline, the copy at hand is all there is.
        if (package.TransientDownload &&
            (_services.Transients.AlreadyDownloaded(finalPath) || (_settings.Offline && File.Exists(finalPath))))
        {
            return new DownloadedFile(finalPath, package.Name, Transient: true, Verified: false);
        }

        if (!package.TransientDownload)
        {
            _folder.AdoptOldLayoutFile(package, file.FileName, Log);
            if (File.Exists(finalPath) &&
                await CheckExistingAsync(package, file, finalPath, expected, skipHashCheck, cancellationToken).ConfigureAwait(false) is { } kept)
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

        var failures = new List<UriFailure>();
        foreach (DownloadUri uri in file.Uris)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await TryUriAsync(package, file, uri, finalPath, expected, skipHashCheck, failures, cancellationToken).ConfigureAwait(false) is { } downloaded)
            {
                if (package.TransientDownload)
                {
                    _services.Transients.MarkDownloaded(finalPath);
                }

                return downloaded;
            }
        }

        throw new BrdlException(
            FailureScope.Package,
            FinalCode(failures),
            file.Uris.IsEmpty
                ? $"{package.Name}: no site to download {file.FileName} from: set Site on the package, or BuildrootPrimarySite/BuildrootBackupSite."
                : $"{package.Name}: could not download {file.FileName}; the download folder is unchanged. Tried:{Environment.NewLine}  " +
                  string.Join(Environment.NewLine + "  ", failures.Select(f => f.Text)));
    }

    /// <summary>Step 1 of the wrapper: null when the existing file must be downloaded again.</summary>
    private async Task<DownloadedFile?> CheckExistingAsync(
        PackageSpec package,
        PlannedFile file,
        string finalPath,
        HashExpectations expected,
        bool skipHashCheck,
        CancellationToken cancellationToken)
    {
        string stampPath = _folder.StampPath(package, file.FileName);
        if (VerifiedStamp.Vouches(stampPath, finalPath, expected))
        {
            return new DownloadedFile(finalPath, package.Name, Transient: false, Verified: true);
        }

        HashCheckResult result = await HashChecker.CheckAsync(finalPath, expected, null, cancellationToken).ConfigureAwait(false);
        switch (Judge(package, file, result, skipHashCheck))
        {
            case Verdict.Accept:
                if (result.Outcome == HashCheckOutcome.Good)
                {
                    VerifiedStamp.Write(stampPath, finalPath, result.Verified);
                }

                return new DownloadedFile(finalPath, package.Name, Transient: false, Verified: result.Outcome == HashCheckOutcome.Good);
            case Verdict.TryNext:
                Log.Warning(
                    MessageCodes.ExistingFileWrongHash,
                    $"{package.Name}: {finalPath} does not match its hashes; removing it and downloading it again.{Environment.NewLine}{HashCheckReport.Describe(file.FileName, result, expected)}");
                _folder.Discard(package, file.FileName);
                return null;
            default:
                throw Failure(package, file, result, expected);
        }
    }

    /// <summary>Step 3 of the wrapper for one URI: the installed file, or null to try the next URI.</summary>
    private async Task<DownloadedFile?> TryUriAsync(
        PackageSpec package,
        PlannedFile file,
        DownloadUri uri,
        string finalPath,
        HashExpectations expected,
        bool skipHashCheck,
        List<UriFailure> failures,
        CancellationToken cancellationToken)
    {
        string scratch = _folder.CreateScratchFolder(package);

        // The overall limit covers the whole attempt: the transfer, and the post-process's own fetches.
        using var attemptLimit = new CancellationTokenSource(_settings.Limits.Overall);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptLimit.Token);
        try
        {
            string output = Path.Combine(scratch, file.FileName);
            BackendResult fetched = await _services.Backends.For(uri.Method).FetchAsync(
                CreateRequest(package, file, uri, output, scratch, expected),
                attempt.Token).ConfigureAwait(false);

            IReadOnlyDictionary<string, string>? digests = fetched.Digests;
            if (file.IsMainSource && package.DownloadPostProcess is { } postProcess)
            {
                await _services.PostProcesses(postProcess).RunAsync(
                    new Vendoring.PostProcessRequest
                    {
                        ArchivePath = output,
                        ScratchFolder = Directory.CreateDirectory(Path.Combine(scratch, "post-process")).FullName,
                        DownloadDirectory = _folder.Root,
                        Settings = new Vendoring.VendoringSettings(package.CargoManifest, package.GoSubdir),
                        BaseName = package.BaseName,
                        GoProxy = _settings.GoProxy,
                        Tools = _settings.Tools,
                        Limits = _settings.Limits,
                        Runner = _services.Runner,
                        Log = Log,
                    },
                    attempt.Token).ConfigureAwait(false);
                digests = null; // The archive was rewritten: what the backend hashed is gone.
            }

            bool verified = false;
            if (!package.TransientDownload)
            {
                HashCheckResult result = await HashChecker.CheckAsync(output, expected, digests, cancellationToken).ConfigureAwait(false);
                switch (Judge(package, file, result, skipHashCheck))
                {
                    case Verdict.Accept:
                        verified = result.Outcome == HashCheckOutcome.Good;
                        await _folder.InstallAsync(output, finalPath, fetched.Executable, cancellationToken).ConfigureAwait(false);
                        if (verified)
                        {
                            VerifiedStamp.Write(_folder.StampPath(package, file.FileName), finalPath, result.Verified);
                        }

                        return new DownloadedFile(finalPath, package.Name, Transient: false, verified);
                    case Verdict.TryNext:
                        string mismatch = $"{SecretRedactor.Redact(uri.Uri)}: {HashCheckReport.Describe(file.FileName, result, expected)}";
                        Log.Detail($"{package.Name}: {mismatch}");
                        failures.Add(new UriFailure(mismatch, MessageCodes.HashMismatch, FailureScope.WrongContent));
                        return null;
                    default:
                        throw Failure(package, file, result, expected);
                }
            }

            await _folder.InstallAsync(output, finalPath, fetched.Executable, cancellationToken).ConfigureAwait(false);
            return new DownloadedFile(finalPath, package.Name, Transient: true, Verified: false);
        }
        catch (BrdlException e) when (e.EndsOnlyTheAttempt)
        {
            string failure = $"{SecretRedactor.Redact(uri.Uri)} ({uri.Method}): {e.Message}";
            Log.Detail($"{package.Name}: {failure}");
            failures.Add(new UriFailure(failure, e.Code, e.Scope));
            return null;
        }
        catch (OperationCanceledException) when (attemptLimit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            string failure = $"{SecretRedactor.Redact(uri.Uri)} ({uri.Method}): gave up after {_settings.Limits.Overall.TotalSeconds:0} s (BuildrootDownloadTimeout).";
            Log.Detail($"{package.Name}: {failure}");
            failures.Add(new UriFailure(failure, MessageCodes.AttemptTimedOut, FailureScope.Attempt));
            return null;
        }
        finally
        {
            ScratchCleanup.Delete(scratch);
        }
    }

    /// <summary>What the wrapper does with a hash check's outcome (check-hash's exit codes).</summary>
    private Verdict Judge(PackageSpec package, PlannedFile file, HashCheckResult result, bool skipHashCheck)
    {
        switch (result.Outcome)
        {
            case HashCheckOutcome.Good:
                return Verdict.Accept;
            case HashCheckOutcome.NoHashFile:
                if (skipHashCheck)
                {
                    return Verdict.Accept;
                }

                if (_settings.ForceCheckHashes)
                {
                    return Verdict.Fail;
                }

                Log.Warning(
                    MessageCodes.NoHashFile,
                    $"{package.Name}: no hash file for {file.FileName}, so it is not checked. Add a hash file (HashFiles, or <name>.hash beside the manifest) or a Hash metadata.");
                return Verdict.Accept;
            case HashCheckOutcome.NotListed:
                return skipHashCheck ? Verdict.Accept : Verdict.Fail;
            case HashCheckOutcome.Mismatch:
                return Verdict.TryNext;
            default:
                return Verdict.Fail;
        }
    }

    private static BrdlException Failure(PackageSpec package, PlannedFile file, HashCheckResult result, HashExpectations expected)
    {
        string code = result.Outcome switch
        {
            HashCheckOutcome.NoHashFile => MessageCodes.NoHashFile,
            HashCheckOutcome.NotListed => MessageCodes.FileNotInHashFiles,
            HashCheckOutcome.UnknownAlgorithm => MessageCodes.UnknownHashAlgorithm,
            _ => MessageCodes.HashMismatch,
        };
        string detail = result.Outcome == HashCheckOutcome.NoHashFile
            ? $"no hash file for {file.FileName}, and BuildrootForceCheckHashes is set: add one."
            : HashCheckReport.Describe(file.FileName, result, expected, package.HashFiles);
        return new BrdlException(FailureScope.Package, code, $"{package.Name}: {detail}");
    }

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
            DlOpts = uri.IsMirror ? ImmutableArray<string>.Empty : package.DlOpts,
            WantedDigests = expected.Entries.Select(e => e.Algorithm).Where(HashAlgorithms.IsKnown).Distinct().ToImmutableArray(),
            Limits = _settings.Limits,
            Tools = _settings.Tools,
            Runner = _services.Runner,
            Log = Log,
        };


    /// <summary>
    /// The final error is coded by the most telling cause: a site that delivered the wrong thing
    /// (bytes that fail their hashes, a refused archive, a changeset it does not have) says more
    /// than one that could not be reached, and its fix is in the package, not in the network.
    /// </summary>
    private static string FinalCode(List<UriFailure> failures) =>
        failures.Find(f => f.Scope == FailureScope.WrongContent)?.Code ?? MessageCodes.AllUrisFailed;

    /// <param name="Code">The code of what went wrong at that URI.</param>
    /// <param name="Scope">Whether the site could not deliver, or delivered the wrong thing.</param>
    private sealed record UriFailure(string Text, string Code, FailureScope Scope);

    private enum Verdict
    {
        Accept,
        TryNext,
        Fail,
    }
}
