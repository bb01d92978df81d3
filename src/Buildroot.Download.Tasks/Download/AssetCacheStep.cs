using System.Collections.Immutable;
using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Download;

/// <summary>What looking a file up in the asset caches gave the wrapper.</summary>
/// <param name="Entry">The file as the caches know it.</param>
/// <param name="ToFill">Read-write caches that did not hold it: they receive it once it is downloaded from elsewhere.</param>
/// <param name="Installed">The file, installed from a cache; null when the planned URIs are to be tried.</param>
internal sealed record CacheLookup(CacheEntry? Entry, ImmutableArray<AssetCacheLocation> ToFill, DownloadedFile? Installed)
{
    public static CacheLookup None { get; } = new(null, [], null);
}

/// <summary>
/// The asset caches' two places in the wrapper's flow for one file (the design is told in
/// <see cref="AssetCacheClient"/>): <see cref="LookUpAsync"/>, after the file at hand was found
/// missing or bad and before every planned URI, which installs a good copy from a cache; and
/// <see cref="StoreLater"/>, after a file from elsewhere passed its hashes and was installed,
/// which hands it to the read-write caches that lacked it. With no cache declared both do nothing.
/// </summary>
internal sealed class AssetCacheStep(DownloadSettings settings, DownloadFolder folder, DownloadServices services)
{
    private IBuildLog Log => services.Log;

    /// <summary>
    /// The one rule of what a file is to the caches: keyed by the first sha256 its hashes (hash
    /// files, inline <c>Hash</c>) list; a transient package's file, which changes at every fetch
    /// and is never checked, has no key, so it is never looked up or stored.
    /// </summary>
    public static CacheEntry EntryOf(PackageSpec package, PlannedFile file, HashExpectations expected) =>
        new(
            package.Name,
            file.FileName,
            package.TransientDownload ? null : expected.Entries.FirstOrDefault(entry => entry.Algorithm == "sha256")?.ExpectedHex);

    /// <summary>
    /// Looks the file up in the caches, in item order. A copy whose bytes hash to its key is
    /// judged by the hash policy as a download from a site is, and installed the same way. In
    /// air-gapped mode (<c>BuildrootAssetCacheOnly</c>) a file no cache can give is an error
    /// of its package, so nothing else is ever tried.
    /// </summary>
    public async Task<CacheLookup> LookUpAsync(PackageSpec package, PlannedFile file, string finalPath, HashCheckSubject subject, CancellationToken cancellationToken)
    {
        if (services.Caches is not { } caches)
        {
            return CacheLookup.None;
        }

        CacheEntry entry = EntryOf(package, file, subject.Expected);
        if (package.TransientDownload)
        {
            Log.Detail($"{package.Name}/{file.FileName}: a transient download (it follows a branch head), so the asset caches are not used for it.");
            return caches.CacheOnly
                ? throw NotFromCaches(entry, "it is a transient download, which follows a branch head and is never stored in a cache")
                : CacheLookup.None;
        }

        string scratch = folder.CreateScratchFolder(package);
        using var attemptLimit = new CancellationTokenSource(settings.Limits.Overall);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptLimit.Token);
        try
        {
            string output = Path.Combine(scratch, file.FileName);
            CacheFetchResult fetched = await caches.Client.FetchAsync(entry, output, subject.Expected.KnownAlgorithms, Log, attempt.Token).ConfigureAwait(false);
            if (!fetched.IsHit)
            {
                return new CacheLookup(entry, fetched.ToFill, null);
            }

            HashVerdict verdict = await HashPolicy.CheckAsync(output, subject, HashCheckPurpose.Download, fetched.Digests, attempt.Token).ConfigureAwait(false);
            switch (verdict.Action)
            {
                case HashAction.Accept or HashAction.AcceptWithWarning:
                    if (verdict.Action == HashAction.AcceptWithWarning)
                    {
                        Log.Warning(verdict.Code!, $"{package.Name}: {verdict.Text}");
                    }

                    await folder.InstallAsync(output, finalPath, executable: false, cancellationToken).ConfigureAwait(false);
                    if (verdict.IsVerified)
                    {
                        VerifiedStamp.Write(folder.StampPath(package, file.FileName), finalPath, verdict.Verified, subject.Expected);
                    }

                    // A hit in a later cache fills the earlier read-write ones that lacked it.
                    caches.StoreInBackground(entry, finalPath, fetched.ToFill, cancellationToken);
                    return new CacheLookup(entry, [], new DownloadedFile(finalPath, package.Name, Transient: false, verdict.IsVerified));
                case HashAction.TryNextSite:
                    // Its sha256 matched, another listed hash did not: the hash files contradict
                    // themselves, and every site will fail the same way, saying so.
                    Log.Detail($"{package.Name}: the copy from {fetched.HitIn!.Name} was refused: {verdict.Text}");
                    return caches.CacheOnly
                        ? throw new BrdlException(FailureScope.Package, verdict.Code!, $"{package.Name}: {verdict.Text}")
                        : new CacheLookup(entry, fetched.ToFill, null);
                default:
                    throw new BrdlException(FailureScope.Package, verdict.Code!, $"{package.Name}: {verdict.Text}");
            }
        }
        catch (OperationCanceledException) when (attemptLimit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            string reason = $"the lookup gave up after {TransferLimits.Format(settings.Limits.Overall)}, the limit of one attempt ({TransferLimits.OverallProperty})";
            Log.Warning(MessageCodes.AssetCacheLookupFailed, $"{entry}: {reason}; {(caches.CacheOnly ? "no other site may be tried" : "the package's sites are tried")}.");
            return caches.CacheOnly ? throw NotFromCaches(entry, reason) : new CacheLookup(entry, [], null);
        }
        finally
        {
            ScratchCleanup.Delete(scratch);
        }
    }

    /// <summary>
    /// After <paramref name="downloaded"/> came from a planned URI: the read-write caches that
    /// lacked it receive it in the background, if it matched its sha256 (a file that merely
    /// passed, for want of hashes, is never stored).
    /// </summary>
    public void StoreLater(CacheLookup lookup, DownloadedFile downloaded, CancellationToken cancellationToken)
    {
        if (services.Caches is { } caches && lookup.Entry is { Sha256: not null } entry && downloaded.Verified)
        {
            caches.StoreInBackground(entry, downloaded.Path, lookup.ToFill, cancellationToken);
        }
    }

    private static BrdlException NotFromCaches(CacheEntry entry, string reason) =>
        new(
            FailureScope.Package,
            MessageCodes.AssetCacheOnlyMiss,
            $"{entry.Package}: {entry.FileName} cannot come from the asset caches: {reason}; and BuildrootAssetCacheOnly forbids any other site. Turn BuildrootAssetCacheOnly off for this build.");
}
