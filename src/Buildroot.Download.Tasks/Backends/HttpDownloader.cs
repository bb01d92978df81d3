using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Fetches one http(s) URL to a file with a single shared <see cref="HttpClient"/>: the body is
/// streamed to disk and hashed on the way, transient failures are tried again with exponential
/// backoff (or as <c>Retry-After</c> asks), a server that makes no progress for the stall limit is
/// given up, and credentials in the URL are sent as Basic authentication and never printed.
/// </summary>
internal sealed class HttpDownloader : IDisposable
{
    private static readonly Lazy<HttpDownloader> LazyShared = new(() => new HttpDownloader(HttpDownloadSettings.Default));

    /// <summary>How messages name what fetched a file with it, and what the <c>wget</c> method uses for http(s).</summary>
    public const string Name = "built-in http client";

    private static readonly ProductInfoHeaderValue UserAgent = new(
        "Buildroot.Download.Tasks",
        typeof(HttpDownloader).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    /// <summary>As many redirects as wget follows by default.</summary>
    private const int MostRedirects = 20;

    private readonly HttpClient _client;
    private readonly HttpDownloadSettings _settings;
    private readonly EnvironmentProxy _proxy;

    public HttpDownloader(HttpDownloadSettings settings)
    {
        _settings = settings;
        _proxy = new EnvironmentProxy(settings.EnvironmentVariable);
        var handler = new SocketsHttpHandler
        {
            Proxy = _proxy,
            UseProxy = true,
            ConnectTimeout = settings.ConnectTimeout,

            // Redirects are followed by us (SendFollowingRedirectsAsync): only to http and https,
            // and a redirect elsewhere is a clear failure of this site, not an exception.
            AllowAutoRedirect = false,

            // The bytes as served: a .tar.gz sent with "Content-Encoding: gzip" must not be unpacked.
            AutomaticDecompression = DecompressionMethods.None,

            // One client serves every package of the build; cookies must not travel between them.
            UseCookies = false,

            // A server that asks for credentials gets those ~/.netrc (or $NETRC) holds for its host, as with wget and curl.
            Credentials = new NetrcCredentials(settings.EnvironmentVariable),

            // The client lives as long as the MSBuild node: pick up DNS changes now and then.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };

        // Time limits are ours (connect and stall, per try), not one deadline for a whole, possibly huge, download.
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The client every build in this process shares.</summary>
    public static HttpDownloader Shared => LazyShared.Value;

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="outputPath"/> (replacing it) and returns
    /// the <paramref name="wantedDigests"/> of the bytes written. Throws <see cref="BrdlException"/>
    /// with <see cref="MessageCodes.HttpFailed"/> when the server refuses or every try failed, and
    /// <see cref="MessageCodes.TransferStalled"/> when the last try made no progress.
    /// </summary>
    /// <remarks>
    /// Each try is given up when fewer than <see cref="TransferLimits.ProgressBytes"/> bytes arrive
    /// within the stall limit. The tries of one URL share a budget of
    /// <see cref="HttpDownloadSettings.Tries"/> stall limits without progress, their waits included
    /// (<see cref="HttpRetryBudget"/>): a server that accepts and never answers costs at most that
    /// (90 s by default), then the wrapper tries the next URI. A <c>Retry-After</c> is honoured
    /// when it fits in what is left of the budget; a longer one ends the tries at once.
    /// </remarks>
    public async Task<ImmutableDictionary<string, string>> DownloadAsync(
        string url,
        string outputPath,
        IEnumerable<string> wantedDigests,
        TransferLimits limits,
        bool quiet,
        IBuildLog log,
        CancellationToken cancellationToken,
        ITransferProgress? progress = null) =>
        (await FetchAsync(url, null, outputPath, wantedDigests, limits, quiet, prepare: null, absentIsNull: false, log, progress ?? ITransferProgress.None, cancellationToken).ConfigureAwait(false))!;

    /// <summary>
    /// As <see cref="DownloadAsync"/>, for a cache lookup: <paramref name="prepare"/> adds each try's
    /// headers (a cache's credentials, a fresh signature), messages name the URL as <paramref name="display"/>
    /// (which leaves out a secret query), and an answer of 404 or 410 returns null (the entry is
    /// absent) instead of throwing.
    /// </summary>
    public Task<ImmutableDictionary<string, string>?> DownloadIfPresentAsync(
        string url,
        string display,
        string outputPath,
        IEnumerable<string> wantedDigests,
        TransferLimits limits,
        Action<HttpRequestMessage> prepare,
        IBuildLog log,
        CancellationToken cancellationToken) =>
        FetchAsync(url, display, outputPath, wantedDigests, limits, quiet: false, prepare, absentIsNull: true, log, ITransferProgress.None, cancellationToken);

    /// <summary>
    /// Sends <paramref name="request"/> (an upload) through the shared client, with the user agent
    /// added; the answer's headers are awaited, not its body. Time limits are the caller's.
    /// </summary>
    internal Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _proxy.Check(request.RequestUri!);
        request.Headers.UserAgent.Add(UserAgent);
        return _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private async Task<ImmutableDictionary<string, string>?> FetchAsync(
        string url,
        string? display,
        string outputPath,
        IEnumerable<string> wantedDigests,
        TransferLimits limits,
        bool quiet,
        Action<HttpRequestMessage>? prepare,
        bool absentIsNull,
        IBuildLog log,
        ITransferProgress progress,
        CancellationToken cancellationToken)
    {
        HttpTarget target = HttpTarget.Parse(url, display);
        string[] algorithms = wantedDigests.ToArray();
        if (!quiet)
        {
            log.Detail($"GET {target.Display}");
        }

        var budget = new HttpRetryBudget(limits.StallBudget(_settings.Tries));
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await TryOnceAsync(target, outputPath, algorithms, limits, budget, prepare, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (FailedTry failure) when (absentIsNull && failure.Status is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                SiteUris.DeletePartialOutput(outputPath);
                return null;
            }
            catch (FailedTry failure)
            {
                string? whyNot = null;
                TimeSpan? wait = attempt < _settings.Tries ? WaitBeforeNextTry(failure, attempt, budget, out whyNot) : null;
                if (wait is null)
                {
                    SiteUris.DeletePartialOutput(outputPath);
                    string tries = attempt > 1 ? $" after {attempt} tries" : string.Empty;
                    // The advice speaks of a package's site; a cache lookup's caller gives its own.
                    throw new BrdlException(
                        FailureScope.Attempt,
                        failure.Stalled ? MessageCodes.TransferStalled : MessageCodes.HttpFailed,
                        $"Could not download {target.Display}{tries}: {failure.Message}.{whyNot}{(absentIsNull ? string.Empty : failure.Advice)}")
                    {
                        Reason = $"{failure.Message}{tries}.{whyNot}",
                        Advice = absentIsNull || failure.Advice.Length == 0 ? null : failure.Advice.Trim(),
                    };
                }

                if (!quiet)
                {
                    log.Detail($"{target.Display}: {failure.Message}; trying again in {Seconds(wait.Value)} (try {attempt + 1} of {_settings.Tries}).");
                }

                await Task.Delay(wait.Value, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>How long to wait before the next try, or null when there is no point in one (<paramref name="whyNot"/> may say why).</summary>
    private TimeSpan? WaitBeforeNextTry(FailedTry failure, int attempt, HttpRetryBudget budget, out string? whyNot)
    {
        whyNot = null;
        if (!failure.Transient || budget.Remaining <= TimeSpan.Zero)
        {
            return null;
        }

        if (failure.RetryAfter is { } asked)
        {
            if (asked >= budget.Remaining)
            {
                whyNot = $" The server asks to wait {Seconds(asked)} before trying again (Retry-After), more than the {Seconds(budget.Remaining)} left to this site ({_settings.Tries} × {TransferLimits.StallProperty}).";
                return null;
            }

            return asked;
        }

        // A stalled try has waited long enough already; a fast failure backs off, within the budget.
        return failure.Stalled
            ? TimeSpan.Zero
            : TimeSpan.FromTicks(Math.Min(HttpRetryPolicy.DelayBefore(attempt + 1, _settings.FirstRetryDelay).Ticks, budget.Remaining.Ticks / 2));
    }

    private async Task<ImmutableDictionary<string, string>> TryOnceAsync(
        HttpTarget target,
        string outputPath,
        string[] algorithms,
        TransferLimits limits,
        HttpRetryBudget budget,
        Action<HttpRequestMessage>? prepare,
        ITransferProgress progress,
        CancellationToken cancellationToken)
    {
        // Re-armed whenever enough bytes have arrived: it fires only when the server makes no progress that long.
        var stall = new HttpStallTimer(limits.Stall, budget, cancellationToken);
        using (stall)
        {
            HttpResponseMessage response;
            try
            {
                response = await SendFollowingRedirectsAsync(target, prepare, stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw stall.HasFired
                    ? new FailedTry($"the server did not answer within {stall.Describe(limits)}", transient: true) { Stalled = true }
                    : new FailedTry($"could not connect within {Seconds(_settings.ConnectTimeout)}", transient: true);
            }
            catch (HttpRequestException e)
            {
                throw new FailedTry(HttpFailureText.Describe(e, target.Uri), HttpRetryPolicy.IsTransient(e.HttpRequestError));
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new FailedTry(
                        $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}",
                        HttpRetryPolicy.IsTransient(response.StatusCode),
                        AdviceFor(response.StatusCode, target.Uri),
                        response.StatusCode)
                    {
                        RetryAfter = HttpRetryPolicy.RetryAfter(response.Headers.RetryAfter, DateTimeOffset.UtcNow),
                    };
                }

                // With ResponseHeadersRead the body stream is already there: this does no network I/O.
                Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using var bodyDisposal = body.ConfigureAwait(false);
                using var hasher = new MultiHasher(algorithms);
                progress.Receiving(response.Content.Headers.ContentLength);
                long received = await StreamToFileAsync(body, outputPath, hasher, stall, limits, progress, cancellationToken).ConfigureAwait(false);

                // The handler checks Content-Length itself; this is the backstop that makes a short
                // body an error whatever the framing, so a truncated file is never passed on as good.
                if (response.Content.Headers.ContentLength is { } announced && received != announced)
                {
                    throw new FailedTry($"the body ended after {received} of {announced} bytes", transient: true);
                }

                return hasher.Finish();
            }
        }
    }

    /// <summary>
    /// Sends the GET and follows redirects, as browsers and wget do, but only to http and https
    /// (a <c>Location: file:///etc/passwd</c> is this site's failure, never a read of a local
    /// file) and at most <see cref="MostRedirects"/> of them. Credentials go only to the host
    /// they were given for.
    /// </summary>
    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(HttpTarget target, Action<HttpRequestMessage>? prepare, CancellationToken cancellationToken)
    {
        Uri current = target.Uri;
        for (int redirects = 0; ; redirects++)
        {
            _proxy.Check(current); // each redirect too: another scheme, another variable
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.UserAgent.Add(UserAgent);
            if (IsSameOrigin(current, target.Uri))
            {
                request.Headers.Authorization = target.Authorization;
                prepare?.Invoke(request);
            }

            HttpResponseMessage response = await _client
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode))
            {
                return response;
            }

            using (response)
            {
                string location = response.Headers.Location?.OriginalString ?? string.Empty;
                if (!Uri.TryCreate(current, location, out Uri? next) || next.Scheme is not ("http" or "https"))
                {
                    throw new FailedTry(
                        $"the server redirected to '{QuotedText.Cut(SecretRedactor.Redact(location))}', which is not an http or https URL; only those redirects are followed",
                        transient: false);
                }

                if (redirects == MostRedirects)
                {
                    throw new FailedTry($"the server redirected more than {MostRedirects} times", transient: false);
                }

                current = next;
            }
        }
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool IsSameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>
    /// Copies the body to the file and returns its length. Each chunk received is written, then
    /// handed to the hashing threads, so receiving and hashing overlap; the kernel is asked to
    /// start writing the data to disk as it comes, so that making the file durable later costs
    /// little more than the last few megabytes.
    /// </summary>
    private static async Task<long> StreamToFileAsync(
        Stream body,
        string outputPath,
        MultiHasher hasher,
        HttpStallTimer stall,
        TransferLimits limits,
        ITransferProgress progress,
        CancellationToken cancellationToken)
    {
        long received = 0;
        try
        {
            var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                var writeback = new EarlyWriteback(output.SafeFileHandle);
                while (true)
                {
                    HashChunk chunk = await hasher.RentAsync(cancellationToken).ConfigureAwait(false);
                    int filled = 0;
                    int read;
                    do
                    {
                        read = await ReadBodyAsync(body, chunk.Buffer.AsMemory(filled), received, stall.Token).ConfigureAwait(false);
                        filled += read;
                        received += read;
                        stall.Received(read);
                        progress.Received(read);
                    }
                    while (read > 0 && filled < MultiHasher.ChunkSize);

                    if (filled == 0)
                    {
                        hasher.Return(chunk);
                        return received;
                    }

                    await output.WriteAsync(chunk.Buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
                    hasher.Post(chunk, filled);
                    writeback.Written(received);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            string sent = stall.BytesSinceProgress == 0 ? "nothing" : $"only {stall.BytesSinceProgress} bytes";
            throw new FailedTry($"the server sent {sent} in {stall.Describe(limits)}, after {received} bytes", transient: true) { Stalled = true };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The output file's (the body's own are failed tries, see ReadBodyAsync): a full disk,
            // a folder we may not write. No site and no retry can help, so the build stops here,
            // saying so, rather than as an unexpected error.
            SiteUris.DeletePartialOutput(outputPath);
            throw new BrdlException(
                FailureScope.Build,
                MessageCodes.CannotInstallFile,
                $"Cannot write {outputPath}: {e.Message} The scratch folder (BuildrootScratchDir) and the download folder must be writable, with free space for the file.",
                e);
        }
    }

    /// <summary>
    /// Reads the next bytes of the body. Any <see cref="IOException"/> here is the connection's,
    /// whatever layer says so (a reset socket, a TLS record cut short, a body closed early): a
    /// try that may succeed again, never to be taken for a failure of the output file.
    /// </summary>
    private static async ValueTask<int> ReadBodyAsync(Stream body, Memory<byte> buffer, long received, CancellationToken stallToken)
    {
        try
        {
            return await body.ReadAsync(buffer, stallToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new FailedTry($"the connection broke after {received} bytes ({SecretRedactor.Redact(e.Message)})", transient: true);
        }
    }

    private static string Seconds(TimeSpan time) => TransferLimits.Format(time);

    private string AdviceFor(HttpStatusCode status, Uri uri) => status switch
    {
        HttpStatusCode.NotFound => " Check the package's site and file name; the file may have moved.",
        HttpStatusCode.Unauthorized => CredentialsAdvice(uri),
        HttpStatusCode.Forbidden => " The server refuses to serve it; check the URL and any credentials.",
        _ => string.Empty,
    };

    private string CredentialsAdvice(Uri uri)
    {
        string netrc = Netrc.PathFrom(_settings.EnvironmentVariable) ?? "~/.netrc";
        return Netrc.Find(_settings.EnvironmentVariable, uri.IdnHost) is null
            ? $" The server wants credentials: put them in {netrc} (a line 'machine {uri.IdnHost} login <user> password <secret>'; the NETRC environment variable may name another file), never in the project."
            : $" The server refused the credentials {netrc} holds for {uri.IdnHost}: check them.";
    }

    /// <summary>A try that failed, and whether another could succeed.</summary>
    private sealed class FailedTry(string message, bool transient, string advice = "", HttpStatusCode? status = null) : Exception(message)
    {
        public bool Transient { get; } = transient;

        public string Advice { get; } = advice;

        /// <summary>The server's answer, when it gave one.</summary>
        public HttpStatusCode? Status { get; } = status;

        /// <summary>The server made no progress for the stall limit.</summary>
        public bool Stalled { get; init; }

        /// <summary>How long the server asked us to wait before the next try.</summary>
        public TimeSpan? RetryAfter { get; init; }
    }

    /// <summary>The URL to request, with its credentials moved into an Authorization header.</summary>
    private sealed record HttpTarget(Uri Uri, AuthenticationHeaderValue? Authorization, string Display)
    {
        /// <param name="display">How messages name the URL; by default the URL with its secrets hidden.</param>
        public static HttpTarget Parse(string url, string? display)
        {
            display ??= SecretRedactor.Redact(url);
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new BrdlException(FailureScope.Attempt, MessageCodes.HttpFailed, $"'{display}' is not an http or https URL.");
            }

            if (uri.UserInfo.Length == 0)
            {
                return new HttpTarget(uri, null, display);
            }

            string[] parts = uri.UserInfo.Split(':', 2);
            string pair = Uri.UnescapeDataString(parts[0]) + ":" + (parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
            return new HttpTarget(
                new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri,
                new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair))),
                display);
        }
    }
}
