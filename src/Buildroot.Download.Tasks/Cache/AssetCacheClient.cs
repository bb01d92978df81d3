using System.Collections.Immutable;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Cache;

/// <summary>What looking a file up in the caches gave.</summary>
/// <param name="HitIn">The cache that held a good copy (now at the output path), or null for a miss everywhere.</param>
/// <param name="Digests">The digests of the copy, computed while it streamed in (every wanted algorithm and sha256).</param>
/// <param name="ToFill">
/// Read-write caches, looked up before the hit, that did not hold the file or held a corrupt
/// copy: each should receive the file once it has passed its hashes (<see cref="AssetCacheClient.StoreAsync"/>).
/// </param>
internal sealed record CacheFetchResult(AssetCacheLocation? HitIn, ImmutableDictionary<string, string>? Digests, ImmutableArray<AssetCacheLocation> ToFill)
{
    public bool IsHit => HitIn is not null;
}

/// <summary>
/// The content-addressed asset cache: looks files up in the declared caches, in item order, and
/// stores files there, over <see cref="HttpDownloader"/>'s client (its retries, stall limit and,
/// once they land, overall time limits).
/// <para>
/// <b>How it slots into the download flow</b> (the wiring, in <c>PackageDownloader</c>/<c>DownloadWrapper</c>):
/// </para>
/// <list type="number">
/// <item><b>Before every other URI.</b> For a file whose sha256 is known (hash files or <c>Hash</c>
/// metadata; a file without one is never looked up or stored, said at low importance), the wrapper
/// first calls <see cref="FetchAsync"/> with the attempt's scratch output path, under the package
/// lock, before the primary site. The caches are one more kind of attempt, ahead of the planned
/// URIs: a git, svn or vendored archive with a listed sha256 is served the same way, so a hit
/// needs no git, svn, cargo or go at all.</item>
/// <item><b>Checked like any download.</b> <see cref="FetchAsync"/> already refuses a copy whose
/// bytes do not hash to its key (<see cref="MessageCodes.AssetCacheEntryCorrupt"/>, a warning). A
/// hit then goes through the same hash policy as any attempt (every listed hash, from the
/// digests returned), and only then is installed by the same copy-and-rename into the download
/// folder; a failure throws the scratch away, exactly as for a site. A miss (or a cache that
/// fails, <see cref="MessageCodes.AssetCacheLookupFailed"/>, a warning) falls through to the usual
/// order: primary site, the package's site, backup site.</item>
/// <item><b>Write-back after the hashes passed.</b> Once a file downloaded from elsewhere (or found
/// in a later cache) has passed its hashes and is installed, the wrapper calls
/// <see cref="StoreAsync"/> with <see cref="CacheFetchResult.ToFill"/> and the installed file (read,
/// never changed; a concurrent replacement renames over it and the open handle keeps the old
/// bytes). A failed upload is a warning (<see cref="MessageCodes.AssetCacheUploadFailed"/>) and
/// never fails the build; the wiring should run it after releasing the package lock, so other
/// builds are not delayed by it, and await it before the task ends. Same-key uploads from
/// concurrent builds are harmless: same bytes, and each store replaces an object atomically.</item>
/// <item><b>Air-gapped mode</b> (<c>BuildrootAssetCacheOnly=true</c>): the wrapper tries nothing
/// but <see cref="FetchAsync"/>; a miss there throws <see cref="MessageCodes.AssetCacheOnlyMiss"/>
/// naming the package, file and sha256 (and what each cache answered); no request leaves for
/// any other host. A file already in the download folder that passes its hashes needs no cache.</item>
/// <item><b>Show-info</b> lists each file's cache URLs with <see cref="Describe"/>.</item>
/// </list>
/// </summary>
internal sealed class AssetCacheClient
{
    private readonly AssetCacheSettings _settings;
    private readonly HttpDownloader _http;
    private readonly HttpUploader _uploader;
    private readonly TransferLimits _limits;
    private readonly Lazy<IReadOnlyList<EndpointOrProblem>> _endpoints;

    /// <param name="settings">The declared caches.</param>
    /// <param name="http">The build's HTTP client.</param>
    /// <param name="environment">Where header values, SAS tokens and AWS credentials are read (the process environment).</param>
    /// <param name="clock">The signing time (tests give a fixed one).</param>
    /// <param name="limits">The time limits of the other downloads, which lookups and uploads obey too.</param>
    public AssetCacheClient(AssetCacheSettings settings, HttpDownloader http, Func<string, string?> environment, Func<DateTimeOffset>? clock = null, TransferLimits? limits = null)
    {
        _settings = settings;
        _http = http;
        _limits = limits ?? TransferLimits.Default;
        _uploader = new HttpUploader(http, _limits);
        Func<DateTimeOffset> now = clock ?? (() => DateTimeOffset.UtcNow);
        _endpoints = new(() => settings.Caches.Select(location => Resolve(location, environment, now)).ToArray());
    }

    public AssetCacheSettings Settings => _settings;

    /// <summary>
    /// Looks <paramref name="entry"/> up in each cache in order and streams the first good copy to
    /// <paramref name="outputPath"/> (replacing it), hashed on the way. Misses and failures go on to
    /// the next cache; failures and corrupt copies are warnings. In air-gapped mode a miss
    /// everywhere throws <see cref="BrdlException"/> (<see cref="MessageCodes.AssetCacheOnlyMiss"/>).
    /// </summary>
    public async Task<CacheFetchResult> FetchAsync(
        CacheEntry entry,
        string outputPath,
        IEnumerable<string> wantedDigests,
        IBuildLog log,
        CancellationToken cancellationToken)
    {
        if (_settings.IsEmpty)
        {
            return new CacheFetchResult(null, null, []);
        }

        if (entry.Sha256 is not { } sha256)
        {
            log.Detail($"{entry.Package}/{entry.FileName}: no sha256 is known (add one to its hash file), so the asset caches are not used for it.");
            return _settings.CacheOnly
                ? throw OnlyMiss(entry, ["no sha256 is known for it, so it cannot be looked up: add a sha256 line to its hash file"])
                : new CacheFetchResult(null, null, []);
        }

        string[] algorithms = wantedDigests.Append("sha256").Distinct(StringComparer.Ordinal).ToArray();
        var toFill = ImmutableArray.CreateBuilder<AssetCacheLocation>();
        var answers = new List<string>();
        foreach (EndpointOrProblem candidate in _endpoints.Value)
        {
            if (candidate.Endpoint is not { } endpoint)
            {
                if (candidate.FirstReport())
                {
                    log.Warning(MessageCodes.AssetCacheCredentialMissing, candidate.Problem!);
                }

                answers.Add(candidate.Problem!);
                continue;
            }

            AssetCacheLocation cache = endpoint.Location;
            if (candidate.ReadFailed)
            {
                answers.Add($"{cache.Name}: not used after it failed earlier in this build");
                continue;
            }

            string display = endpoint.Display(entry);
            try
            {
                ImmutableDictionary<string, string>? digests = await _http
                    .DownloadIfPresentAsync(endpoint.UrlOf(entry).AbsoluteUri, display, outputPath, algorithms, _limits, endpoint.PrepareGet, log, cancellationToken)
                    .ConfigureAwait(false);
                if (digests is null)
                {
                    log.Detail($"{cache.Name}: {entry.Package}/{entry.FileName} is not there ({display}).");
                    answers.Add($"{cache.Name}: not there");
                    AddIfWritable(toFill, cache);
                }
                else if (!string.Equals(digests["sha256"], sha256, StringComparison.Ordinal))
                {
                    SiteUris.DeletePartialOutput(outputPath);
                    log.Warning(
                        MessageCodes.AssetCacheEntryCorrupt,
                        $"{cache.Name} holds a corrupt copy of {entry}: its bytes hash to sha256 {digests["sha256"]} ({display}). It is skipped{(cache.CanWrite ? " and will be replaced" : string.Empty)}.");
                    answers.Add($"{cache.Name}: corrupt copy");
                    AddIfWritable(toFill, cache);
                }
                else
                {
                    log.Message($"{entry.Package}: {entry.FileName} from {cache.Name}");
                    return new CacheFetchResult(cache, digests, toFill.ToImmutable());
                }
            }
            catch (BrdlException e) when (e.EndsOnlyTheAttempt)
            {
                // (A failure of the build, such as a full disk, is not the store's: it goes on up.)
                // Retries and time limits are spent already: a store that fails now would make
                // every other file of the build wait as long, so it is left alone from here on.
                candidate.ReadFailed = true;
                log.Warning(
                    MessageCodes.AssetCacheLookupFailed,
                    $"{cache.Name} could not be read for {entry}: {e.Message} Check its URL and the credentials its environment variables give. "
                    + $"It is not used again in this build; the next {(_settings.CacheOnly ? "cache" : "cache or site")} is tried.");
                answers.Add($"{cache.Name}: failed ({e.Message})");
            }
        }

        return _settings.CacheOnly
            ? throw OnlyMiss(entry, answers)
            : new CacheFetchResult(null, null, toFill.ToImmutable());
    }

    /// <summary>
    /// Uploads <paramref name="path"/> (a file that passed its hashes) as <paramref name="entry"/> to
    /// each of <paramref name="caches"/> that may be written. Never throws but for cancellation:
    /// a failure is a warning, and the other caches still get it.
    /// </summary>
    public async Task StoreAsync(CacheEntry entry, string path, IEnumerable<AssetCacheLocation> caches, IBuildLog log, CancellationToken cancellationToken)
    {
        if (entry.Sha256 is null)
        {
            return;
        }

        foreach (AssetCacheLocation cache in caches.Where(cache => cache.CanWrite))
        {
            EndpointOrProblem candidate = _endpoints.Value[cache.Position - 1];
            if (candidate.Endpoint is not { } endpoint || candidate.WriteFailed)
            {
                continue; // Reported already, when it was looked up or when an upload failed.
            }

            string display = endpoint.Display(entry);
            try
            {
                log.Detail($"PUT {display}");
                await _uploader.PutAsync(endpoint.UrlOf(entry), display, path, request => endpoint.PreparePut(request, entry), cancellationToken).ConfigureAwait(false);
                log.Detail($"{cache.Name}: stored {entry.Package}/{entry.FileName}.");
            }
            catch (BrdlException e)
            {
                candidate.WriteFailed = true;
                log.Warning(e.Code, $"{cache.Name} did not receive {entry}: {e.Message} No more uploads go to it in this build; the build goes on.");
            }
            catch (IOException e)
            {
                log.Warning(MessageCodes.AssetCacheUploadFailed, $"{cache.Name} did not receive {entry}: {path} could not be read ({e.Message}). The build goes on.");
            }
        }
    }

    /// <summary>For show-info: where <paramref name="entry"/> would be looked up, in order, with no secret in any URL.</summary>
    public IReadOnlyList<CacheUrlInfo> Describe(CacheEntry entry) =>
        entry.Sha256 is null
            ? []
            : _endpoints.Value
                .Select(candidate => candidate.Endpoint is { } endpoint
                    ? new CacheUrlInfo(candidate.Location.Position, endpoint.Display(entry), candidate.Location.CanWrite ? "readwrite" : "read", null)
                    : new CacheUrlInfo(candidate.Location.Position, null, candidate.Location.CanWrite ? "readwrite" : "read", candidate.Problem))
                .ToArray();

    private static void AddIfWritable(ImmutableArray<AssetCacheLocation>.Builder toFill, AssetCacheLocation cache)
    {
        if (cache.CanWrite)
        {
            toFill.Add(cache);
        }
    }

    private static BrdlException OnlyMiss(CacheEntry entry, IEnumerable<string> answers) =>
        new(
            FailureScope.Package,
            MessageCodes.AssetCacheOnlyMiss,
            $"{entry.Package}: {entry.FileName} (sha256 {entry.Sha256 ?? "unknown"}) is in no asset cache, and BuildrootAssetCacheOnly forbids any other site. "
            + $"The caches answered: {string.Join("; ", answers)}. Store it in a cache from a machine with network access (a build there with Access=\"readwrite\"), or turn BuildrootAssetCacheOnly off.");

    private static EndpointOrProblem Resolve(AssetCacheLocation location, Func<string, string?> environment, Func<DateTimeOffset> clock)
    {
        try
        {
            return new EndpointOrProblem(location, CacheEndpoint.Resolve(location, environment, clock), null);
        }
        catch (BrdlException e)
        {
            return new EndpointOrProblem(location, null, e.Message);
        }
    }

    /// <summary>A cache this build can reach, or why it cannot (reported once per build run).</summary>
    private sealed class EndpointOrProblem(AssetCacheLocation location, CacheEndpoint? endpoint, string? problem)
    {
        private int _reported;

        public AssetCacheLocation Location { get; } = location;

        public CacheEndpoint? Endpoint { get; } = endpoint;

        public string? Problem { get; } = problem;

        /// <summary>A lookup failed (after its retries): the cache is not asked again in this build.</summary>
        public volatile bool ReadFailed;

        /// <summary>An upload failed: no more uploads go to this cache in this build.</summary>
        public volatile bool WriteFailed;

        public bool FirstReport() => Interlocked.Exchange(ref _reported, 1) == 0;
    }
}

/// <summary>One cache as show-info lists it for a file.</summary>
/// <param name="Position">The cache's place in item order.</param>
/// <param name="Url">The entry's URL, secrets left out; null when the cache cannot be used.</param>
/// <param name="Access">read or readwrite.</param>
/// <param name="Problem">Why the cache cannot be used (a missing environment variable), or null.</param>
internal sealed record CacheUrlInfo(int Position, string? Url, string Access, string? Problem);
