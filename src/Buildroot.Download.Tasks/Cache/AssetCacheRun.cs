using System.Collections.Concurrent;
using System.Collections.Immutable;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Cache;

/// <summary>
/// The asset caches during one task run: the one <see cref="AssetCacheClient"/> every download of
/// the run looks files up with, and the uploads it starts in the background. An upload holds no
/// package lock and takes no place among the parallel downloads, so it delays nothing but itself;
/// the task awaits them all (<see cref="WhenStoredAsync"/>) before it ends, since MSBuild takes no
/// message from a task that has returned. An upload never fails the build: every failure is a warning.
/// </summary>
internal sealed class AssetCacheRun
{
    private readonly TransferLimits _limits;
    private readonly IBuildLog _log;
    private readonly SemaphoreSlim _uploading;
    private readonly ConcurrentQueue<Task> _uploads = new();

    /// <param name="parallelism">How many uploads may run at once (the build's download parallelism).</param>
    public AssetCacheRun(AssetCacheClient client, TransferLimits limits, IBuildLog log, int parallelism)
    {
        Client = client;
        _limits = limits;
        _log = log;
        _uploading = new SemaphoreSlim(Math.Max(1, parallelism));
    }

    public AssetCacheClient Client { get; }

    /// <summary><c>BuildrootAssetCacheOnly</c>: nothing but the caches may be asked.</summary>
    public bool CacheOnly => Client.Settings.CacheOnly;

    /// <summary>
    /// The caches of <paramref name="settings"/> for one run, over the build's HTTP client, with
    /// credentials from the process environment; null when none is declared.
    /// </summary>
    public static AssetCacheRun? For(AssetCacheSettings settings, TransferLimits limits, IBuildLog log, int parallelism) =>
        settings.IsEmpty
            ? null
            : new AssetCacheRun(new AssetCacheClient(settings, HttpDownloader.Shared, Environment.GetEnvironmentVariable, limits: limits), limits, log, parallelism);

    /// <summary>
    /// Starts uploading <paramref name="path"/> (a file in the download folder that passed its
    /// hashes, sha256 included) as <paramref name="entry"/> to <paramref name="caches"/>, and returns at once.
    /// </summary>
    public void StoreInBackground(CacheEntry entry, string path, ImmutableArray<AssetCacheLocation> caches, CancellationToken cancellationToken)
    {
        if (entry.Sha256 is null || !caches.Any(cache => cache.CanWrite))
        {
            return;
        }

        _uploads.Enqueue(Task.Run(() => StoreAsync(entry, path, caches, cancellationToken), CancellationToken.None));
    }

    /// <summary>Completes when every upload started has ended (stored, failed with a warning, or cancelled); never throws.</summary>
    public Task WhenStoredAsync() => Task.WhenAll(_uploads);

    private async Task StoreAsync(CacheEntry entry, string path, ImmutableArray<AssetCacheLocation> caches, CancellationToken cancellationToken)
    {
        try
        {
            await _uploading.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // The overall limit of an attempt holds for an upload too (the client holds each to
                // the stall limit), from when it starts: the wait for a free slot is not its fault.
                using var overall = new CancellationTokenSource(_limits.Overall);
                using var upload = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, overall.Token);
                await Client.StoreAsync(entry, path, caches, _log, upload.Token).ConfigureAwait(false);
            }
            finally
            {
                _uploading.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The build was cancelled: it says so itself.
        }
        catch (OperationCanceledException)
        {
            _log.Warning(
                MessageCodes.AssetCacheUploadFailed,
                $"{entry} was not stored in the asset caches: gave up after {TransferLimits.Format(_limits.Overall)}, the limit of one attempt ({TransferLimits.OverallProperty}). The build goes on.");
        }
        catch (Exception e)
        {
            // An upload only saves a later download: nothing it meets may fail the build.
            _log.Warning(MessageCodes.AssetCacheUploadFailed, $"{entry} was not stored in the asset caches: {SecretRedactor.Redact(e.Message)} The build goes on.");
        }
    }
}
