using System.Buffers;
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
/// backoff, a server that stops talking is given up after <see cref="HttpDownloadSettings.StallTimeout"/>,
/// and credentials in the URL are sent as Basic authentication and never printed.
/// </summary>
internal sealed class HttpDownloader : IDisposable
{
    private static readonly Lazy<HttpDownloader> LazyShared = new(() => new HttpDownloader(HttpDownloadSettings.Default));

    private static readonly ProductInfoHeaderValue UserAgent = new(
        "Buildroot.Download.Tasks",
        typeof(HttpDownloader).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    private readonly HttpClient _client;
    private readonly HttpDownloadSettings _settings;

    public HttpDownloader(HttpDownloadSettings settings)
    {
        _settings = settings;
        var handler = new SocketsHttpHandler
        {
            Proxy = new EnvironmentProxy(settings.EnvironmentVariable),
            UseProxy = true,
            ConnectTimeout = settings.ConnectTimeout,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 20,

            // The bytes as served: a .tar.gz sent with "Content-Encoding: gzip" must not be unpacked.
            AutomaticDecompression = DecompressionMethods.None,

            // One client serves every package of the build; cookies must not travel between them.
            UseCookies = false,

            // The client lives as long as the MSBuild node: pick up DNS changes now and then.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };

        // Time limits are ours (connect and stall), not one deadline for a whole, possibly huge, download.
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The client every build in this process shares.</summary>
    public static HttpDownloader Shared => LazyShared.Value;

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="outputPath"/> (replacing it) and returns
    /// the <paramref name="wantedDigests"/> of the bytes written. Throws <see cref="BrdlException"/>
    /// with <see cref="MessageCodes.HttpFailed"/> when the server refuses or every try failed.
    /// </summary>
    public async Task<ImmutableDictionary<string, string>> DownloadAsync(
        string url,
        string outputPath,
        IEnumerable<string> wantedDigests,
        bool quiet,
        IBuildLog log,
        CancellationToken cancellationToken) =>
        (await FetchAsync(url, null, outputPath, wantedDigests, quiet, prepare: null, absentIsNull: false, log, cancellationToken).ConfigureAwait(false))!;

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
        Action<HttpRequestMessage> prepare,
        IBuildLog log,
        CancellationToken cancellationToken) =>
        FetchAsync(url, display, outputPath, wantedDigests, quiet: false, prepare, absentIsNull: true, log, cancellationToken);

    /// <summary>
    /// Sends <paramref name="request"/> (an upload) through the shared client, with the user agent
    /// added; the answer's headers are awaited, not its body. Time limits are the caller's.
    /// </summary>
    internal Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.UserAgent.Add(UserAgent);
        return _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>The limits this client was made with (an upload applies the same stall limit).</summary>
    internal HttpDownloadSettings Settings => _settings;

    private async Task<ImmutableDictionary<string, string>?> FetchAsync(
        string url,
        string? display,
        string outputPath,
        IEnumerable<string> wantedDigests,
        bool quiet,
        Action<HttpRequestMessage>? prepare,
        bool absentIsNull,
        IBuildLog log,
        CancellationToken cancellationToken)
    {
        HttpTarget target = HttpTarget.Parse(url, display);
        string[] algorithms = wantedDigests.ToArray();
        if (!quiet)
        {
            log.Detail($"GET {target.Display}");
        }

        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await TryOnceAsync(target, outputPath, algorithms, prepare, cancellationToken).ConfigureAwait(false);
            }
            catch (FailedTry failure) when (failure.Transient && attempt < _settings.Tries)
            {
                TimeSpan delay = HttpRetryPolicy.DelayBefore(attempt + 1, _settings.FirstRetryDelay);
                if (!quiet)
                {
                    log.Detail($"{target.Display}: {failure.Message}; trying again in {delay.TotalSeconds:0.###} s (try {attempt + 1} of {_settings.Tries}).");
                }

                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (FailedTry failure) when (absentIsNull && failure.Status is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                SiteUris.DeletePartialOutput(outputPath);
                return null;
            }
            catch (FailedTry failure)
            {
                SiteUris.DeletePartialOutput(outputPath);
                string tries = attempt > 1 ? $" after {attempt} tries" : string.Empty;
                // The advice speaks of a package's site; a cache lookup's caller gives its own.
                throw new BrdlException(
                    MessageCodes.HttpFailed,
                    $"Could not download {target.Display}{tries}: {failure.Message}.{(absentIsNull ? string.Empty : failure.Advice)}");
            }
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<ImmutableDictionary<string, string>> TryOnceAsync(
        HttpTarget target,
        string outputPath,
        string[] algorithms,
        Action<HttpRequestMessage>? prepare,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target.Uri);
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.Authorization = target.Authorization;
        prepare?.Invoke(request);

        // Re-armed before every wait on the server: it fires only when the server stays silent that long.
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(_settings.StallTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _client
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FailedTry(
                stall.IsCancellationRequested
                    ? $"the server did not answer within {Seconds(_settings.StallTimeout)}"
                    : $"could not connect within {Seconds(_settings.ConnectTimeout)}",
                transient: true);
        }
        catch (HttpRequestException e)
        {
            throw new FailedTry(DescribeError(e), HttpRetryPolicy.IsTransient(e.HttpRequestError));
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new FailedTry(
                    $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}",
                    HttpRetryPolicy.IsTransient(response.StatusCode),
                    AdviceFor(response.StatusCode),
                    response.StatusCode);
            }

            // With ResponseHeadersRead the body stream is already there: this does no network I/O.
            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var bodyDisposal = body.ConfigureAwait(false);
            using var hasher = new MultiHasher(algorithms);
            long received = await StreamToFileAsync(body, outputPath, hasher, stall, cancellationToken).ConfigureAwait(false);

            // The handler checks Content-Length itself; this is the backstop that makes a short
            // body an error whatever the framing, so a truncated file is never passed on as good.
            if (response.Content.Headers.ContentLength is { } announced && received != announced)
            {
                throw new FailedTry($"the body ended after {received} of {announced} bytes", transient: true);
            }

            return hasher.Finish();
        }
    }

    /// <summary>Copies the body to the file, hashing it, and returns its length.</summary>
    private async Task<long> StreamToFileAsync(
        Stream body,
        string outputPath,
        MultiHasher hasher,
        CancellationTokenSource stall,
        CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        long received = 0;
        try
        {
            var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                while (true)
                {
                    stall.CancelAfter(_settings.StallTimeout);
                    int read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return received;
                    }

                    hasher.Append(buffer.AsSpan(0, read));
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    received += read;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FailedTry($"the server sent nothing for {Seconds(_settings.StallTimeout)} after {received} bytes", transient: true);
        }
        catch (IOException e) when (e is HttpIOException || e.InnerException is System.Net.Sockets.SocketException)
        {
            // The connection broke while the body was streaming (reset, or closed early). Other
            // IOExceptions are the output file's (a full disk): trying again would not help.
            throw new FailedTry($"the connection broke after {received} bytes ({SecretRedactor.Redact(e.Message)})", transient: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Seconds(TimeSpan time) => $"{time.TotalSeconds:0.###} s";

    private static string DescribeError(HttpRequestException e)
    {
        var text = new StringBuilder(SecretRedactor.Redact(e.Message));
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" (").Append(SecretRedactor.Redact(inner.Message)).Append(')');
        }

        return text.ToString();
    }

    private static string AdviceFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => " Check the package's site and file name; the file may have moved.",
        HttpStatusCode.Unauthorized => " The server wants credentials: give them in the site URL (https://user:password@host/…).",
        HttpStatusCode.Forbidden => " The server refuses to serve it; check the URL and any credentials.",
        _ => string.Empty,
    };

    /// <summary>A try that failed, and whether another could succeed.</summary>
    private sealed class FailedTry(string message, bool transient, string advice = "", HttpStatusCode? status = null) : Exception(message)
    {
        public bool Transient { get; } = transient;

        public string Advice { get; } = advice;

        /// <summary>The server's answer, when it gave one.</summary>
        public HttpStatusCode? Status { get; } = status;
    }

    /// <summary>The URL to request, with its credentials moved into an Authorization header.</summary>
    private sealed record HttpTarget(Uri Uri, AuthenticationHeaderValue? Authorization, string Display)
    {
        public static HttpTarget Parse(string url, string? display)
        {
            display ??= SecretRedactor.Redact(url);
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new BrdlException(MessageCodes.HttpFailed, $"'{display}' is not an http or https URL.");
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
